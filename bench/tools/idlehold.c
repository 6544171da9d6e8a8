/*
 * idlehold PORT COUNT: opens COUNT connections to 127.0.0.1:PORT (at most 200 handshakes in flight), proves each
 * one reaches the backend by a one-byte round trip through the echo server behind the proxy, prints
 * "ready <held> <failed>" and then holds every connection open and idle until it is killed. Gives up waiting
 * after 120 seconds and reports what it holds.
 */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define INFLIGHT 200

enum { CONNECTING, WAITING_ECHO, HELD, FAILED };

static int *state;

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: idlehold PORT COUNT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_in a = loopback(argv[1]);
    long count = number(argv[2], "COUNT");
    int *fds = calloc((size_t) count, sizeof(int));
    state = calloc((size_t) count, sizeof(int));
    if (fds == NULL || state == NULL) die("calloc");
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    long opened = 0, held = 0, failed = 0, inflight = 0;
    time_t start = time(NULL);
    struct epoll_event evs[256];
    while (held + failed < count && time(NULL) - start < 120) {
        while (opened < count && inflight < INFLIGHT) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            if (fd < 0) die("socket");
            int r = connect(fd, (struct sockaddr *) &a, sizeof a);
            if (r < 0 && errno != EINPROGRESS) die("connect");
            fds[opened] = fd;
            state[opened] = CONNECTING;
            struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (uint64_t) opened};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
            opened++;
            inflight++;
        }
        int n = epoll_wait(ep, evs, 256, 1000);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            long k = (long) evs[i].data.u64;
            int fd = fds[k];
            if (state[k] == CONNECTING) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err != 0 || write(fd, "x", 1) != 1) {
                    state[k] = FAILED;
                } else {
                    state[k] = WAITING_ECHO;
                    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t) k};
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
                    continue;
                }
            } else if (state[k] == WAITING_ECHO) {
                char c;
                state[k] = read(fd, &c, 1) == 1 && c == 'x' ? HELD : FAILED;
            }
            epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
            inflight--;
            if (state[k] == HELD) {
                held++;
            } else {
                failed++;
                close(fd);
            }
        }
    }
    printf("ready %ld %ld\n", held, count - held);
    fflush(stdout);
    for (;;) pause();
}
