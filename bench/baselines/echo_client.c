/* Minimal single-threaded epoll echo load client: the yardstick that shows `sockit bench` is not the bottleneck.
 * Same load shape as `sockit bench --framing length`: CONNS connections, each keeping DEPTH frames of SIZE payload
 * bytes (4-byte big-endian length first) in flight; every whole reply frees a slot, refilled in one send per read.
 * Usage: echo_client HOST PORT CONNS SIZE DEPTH SECONDS [WARMUP_SECONDS]
 * Prints: "msgs_per_sec N" for the measured window (replies counted after the warm-up). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn { int fd; size_t have, pend_off, pend_len; long replies_due; char *in, *out; };

static size_t frame, size, inbuf;
static char *tmpl;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void die(const char *what) { perror(what); exit(1); }

/* Queues k frames and sends as much as the socket takes. */
static void refill(struct conn *c, long k) {
    memmove(c->out, c->out + c->pend_off, c->pend_len - c->pend_off);   /* unsent bytes: at most DEPTH frames */
    c->pend_len -= c->pend_off;
    c->pend_off = 0;
    for (long i = 0; i < k; i++) { memcpy(c->out + c->pend_len, tmpl, frame); c->pend_len += frame; }
    while (c->pend_off < c->pend_len) {
        ssize_t n = send(c->fd, c->out + c->pend_off, c->pend_len - c->pend_off, MSG_NOSIGNAL);
        if (n < 0) { if (errno == EAGAIN) return; die("send"); }
        c->pend_off += (size_t)n;
    }
}

int main(int argc, char **argv) {
    if (argc < 7) { fprintf(stderr, "usage: %s HOST PORT CONNS SIZE DEPTH SECONDS [WARMUP]\n", argv[0]); return 2; }
    int conns = atoi(argv[3]), depth = atoi(argv[5]), one = 1;
    size = (size_t)atol(argv[4]);
    double seconds = atof(argv[6]), warmup = argc > 7 ? atof(argv[7]) : 1;
    frame = size + 4;
    inbuf = frame * (size_t)depth + 65536;
    tmpl = calloc(1, frame);
    uint32_t be = htonl((uint32_t)size);
    memcpy(tmpl, &be, 4);
    memset(tmpl + 4, 'x', size);

    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", argv[1]); return 2; }
    int ep = epoll_create1(0);
    struct conn *cs = calloc((size_t)conns, sizeof *cs);
    for (int i = 0; i < conns; i++) {
        struct conn *c = &cs[i];
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
        c->in = malloc(inbuf);
        c->out = malloc(frame * (size_t)depth * 2);
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
    }

    double start = now(), measure = start + warmup, end = measure + seconds;
    long counted = 0;
    for (int i = 0; i < conns; i++) refill(&cs[i], depth);
    struct epoll_event evs[256];
    for (double t = now(); t < end; t = now()) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->pend_off < c->pend_len) refill(c, 0);
            long replies = 0;
            for (;;) {
                ssize_t got = recv(c->fd, c->in + c->have, inbuf - c->have, 0);
                if (got == 0) { fprintf(stderr, "server closed\n"); return 1; }
                if (got < 0) { if (errno == EAGAIN) break; die("recv"); }
                c->have += (size_t)got;
                size_t whole = c->have / frame;  /* fixed-size frames: the server echoes what we sent */
                replies += (long)whole;
                memmove(c->in, c->in + whole * frame, c->have - whole * frame);
                c->have -= whole * frame;
            }
            if (replies) {
                if (now() >= measure) counted += replies;
                refill(c, replies);
            }
        }
    }
    printf("msgs_per_sec %.0f\n", counted / seconds);
    return 0;
}
