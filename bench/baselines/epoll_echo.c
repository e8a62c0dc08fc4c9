/* Minimal single-threaded epoll echo server: the C baseline for bench/run.sh.
 * Level-triggered, non-blocking; echoes bytes as they come (raw). Each connection has one buffer: when a write
 * is short, the rest waits for EPOLLOUT and reading stops until it is sent (backpressure).
 * Usage: epoll_echo [PORT]   (0 or nothing: any free port). Prints "listening on 127.0.0.1:PORT" on stdout. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF (64 * 1024)
#define MAXEV 256

struct conn { int fd; size_t off, len; char buf[BUF]; };

static void die(const char *what) { perror(what); exit(1); }

static void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void watch(int ep, int op, struct conn *c, unsigned events) {
    struct epoll_event ev = { .events = events, .data.ptr = c };
    if (epoll_ctl(ep, op, c->fd, &ev) < 0) die("epoll_ctl");
}

static void drop(struct conn *c) { close(c->fd); free(c); }

/* Sends what is pending; returns -1 on error, 0 when done, 1 when the socket is full. */
static int flush(struct conn *c) {
    while (c->off < c->len) {
        ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN ? 1 : -1;
        c->off += (size_t)n;
    }
    c->off = c->len = 0;
    return 0;
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0, one = 1;
    signal(SIGPIPE, SIG_IGN);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0) die("socket");
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(lfd, 4096) < 0) die("listen");
    socklen_t al = sizeof a;
    getsockname(lfd, (struct sockaddr *)&a, &al);
    printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stdout);
    nonblock(lfd);

    int ep = epoll_create1(0);
    struct conn listener = { .fd = lfd };
    watch(ep, EPOLL_CTL_ADD, &listener, EPOLLIN);
    struct epoll_event evs[MAXEV];
    for (;;) {
        int n = epoll_wait(ep, evs, MAXEV, -1);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == &listener) {
                int fd;
                while ((fd = accept(lfd, NULL, NULL)) >= 0) {
                    nonblock(fd);
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (!nc) die("malloc");
                    nc->fd = fd; nc->off = nc->len = 0;
                    watch(ep, EPOLL_CTL_ADD, nc, EPOLLIN);
                }
                continue;
            }
            if (evs[i].events & EPOLLOUT) {          /* the rest of a short write */
                int r = flush(c);
                if (r < 0) { drop(c); continue; }
                if (r == 0) watch(ep, EPOLL_CTL_MOD, c, EPOLLIN);
                continue;
            }
            ssize_t got = recv(c->fd, c->buf, BUF, 0);
            if (got == 0 || (got < 0 && errno != EAGAIN)) { drop(c); continue; }
            if (got < 0) continue;
            c->len = (size_t)got;
            int r = flush(c);
            if (r < 0) drop(c);
            else if (r == 1) watch(ep, EPOLL_CTL_MOD, c, EPOLLOUT);
        }
    }
}
