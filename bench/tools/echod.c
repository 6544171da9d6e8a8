/*
 * echod PORT: an epoll echo server on 127.0.0.1:PORT, the backend of the latency and idle-memory scenarios.
 * Level-triggered, one thread. What a client sends comes back; when the client does not read, the bytes wait
 * in a per-connection buffer and the server stops reading that connection until they are written.
 */
#include "common.h"
#include <fcntl.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 16384

struct conn {
    int fd;
    size_t off, len; /* bytes not yet written back: buf[off, len) */
    char buf[BUF];
};

static void nonblocking(int fd) {
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
}

static void closeconn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/* Writes what is pending; returns -1 when the connection is gone. Switches interest between read and write. */
static int flush(int ep, struct conn *c) {
    while (c->off < c->len) {
        ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);
        if (n < 0) {
            if (errno == EAGAIN) break;
            if (errno == EINTR) continue;
            return -1;
        }
        c->off += (size_t) n;
    }
    struct epoll_event ev = {.data.ptr = c};
    if (c->off < c->len) {
        ev.events = EPOLLOUT;
    } else {
        c->off = c->len = 0;
        ev.events = EPOLLIN;
    }
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echod PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_in a = loopback(argv[1]);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0) die("socket");
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(ls, (struct sockaddr *) &a, sizeof a) < 0) die("bind");
    if (listen(ls, 4096) < 0) die("listen");
    nonblocking(ls);
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, ls, &lev) < 0) die("epoll_ctl");
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == NULL) {
                for (;;) {
                    int fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                    if (fd < 0) break; /* EAGAIN, or EMFILE: the listener stays readable and we retry */
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (nc == NULL) die("malloc");
                    nc->fd = fd;
                    nc->off = nc->len = 0;
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = nc};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
                }
                continue;
            }
            if (evs[i].events & EPOLLOUT) {
                if (flush(ep, c) < 0) closeconn(ep, c);
                continue;
            }
            ssize_t r = read(c->fd, c->buf, BUF);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                closeconn(ep, c);
                continue;
            }
            if (r < 0) continue;
            c->off = 0;
            c->len = (size_t) r;
            if (flush(ep, c) < 0) closeconn(ep, c);
        }
    }
}
