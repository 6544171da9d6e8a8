/* Small helpers shared by the benchmark's tools: loopback addresses and fatal errors. */
#ifndef BENCH_COMMON_H
#define _GNU_SOURCE
#define BENCH_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void die(const char *what) {
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(2);
}

/* The benchmark talks to 127.0.0.1 only. */
static inline struct sockaddr_in loopback(const char *port) {
    char *end;
    long p = strtol(port, &end, 10);
    if (*end != '\0' || p < 1 || p > 65535) {
        fprintf(stderr, "bad port '%s'\n", port);
        exit(2);
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short) p);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static inline long number(const char *s, const char *name) {
    char *end;
    long n = strtol(s, &end, 10);
    if (*end != '\0' || n < 1) {
        fprintf(stderr, "bad %s '%s'\n", name, s);
        exit(2);
    }
    return n;
}

#endif
