/*
 * pingpong PORT ROUNDS WARMUP: one connection to 127.0.0.1:PORT, WARMUP unmeasured then ROUNDS measured round
 * trips of a 64-byte message that the far end echoes. Prints "p50_us p99_us" of the measured round trips.
 * TCP_NODELAY, so that each message leaves at once and the figure is the path's latency, not Nagle's.
 */
#include "common.h"
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG 64

static void roundtrip(int fd, const char *out, char *in) {
    size_t sent = 0;
    while (sent < MSG) {
        ssize_t n = write(fd, out + sent, MSG - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die("write");
        sent += (size_t) n;
    }
    size_t got = 0;
    while (got < MSG) {
        ssize_t n = read(fd, in + got, MSG - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("read");
        if (n == 0) {
            fprintf(stderr, "read: the connection closed after %zu of %d bytes\n", got, MSG);
            exit(2);
        }
        got += (size_t) n;
    }
    if (memcmp(out, in, MSG) != 0) {
        fprintf(stderr, "the echo differs from what was sent\n");
        exit(2);
    }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: pingpong PORT ROUNDS WARMUP\n");
        return 2;
    }
    struct sockaddr_in a = loopback(argv[1]);
    long rounds = number(argv[2], "ROUNDS");
    long warmup = number(argv[3], "WARMUP");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *) &a, sizeof a) < 0) die("connect");
    char out[MSG], in[MSG];
    double *us = malloc(sizeof(double) * (size_t) rounds);
    if (us == NULL) die("malloc");
    for (long i = 0; i < warmup + rounds; i++) {
        for (int k = 0; k < MSG; k++) out[k] = (char) ('a' + (i + k) % 26);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        roundtrip(fd, out, in);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (i >= warmup) {
            us[i - warmup] = (double) (t1.tv_sec - t0.tv_sec) * 1e6 + (double) (t1.tv_nsec - t0.tv_nsec) / 1e3;
        }
    }
    close(fd);
    qsort(us, (size_t) rounds, sizeof(double), cmp);
    /* Nearest rank: the smallest value with at least p% of the samples at or below it. */
    long r50 = (rounds * 50 + 99) / 100, r99 = (rounds * 99 + 99) / 100;
    printf("%.1f %.1f\n", us[r50 - 1], us[r99 - 1]);
    return 0;
}
