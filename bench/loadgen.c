/* loadgen: a single-threaded epoll load generator for TCP echo servers.
 *
 * Built by bench/run.py (gcc -O2) into bench/build/loadgen. One JSON object on stdout.
 *
 *   loadgen bulk     -p PORT [-b BYTES] [-c CHUNK] [-t TIMEOUT_S]
 *       1 connection; BYTES (default 1 GiB) written in CHUNK-byte writes (64 KiB) while
 *       the echo is read back; MiB/s of echoed data, first write to last byte back.
 *   loadgen pingpong -p PORT [-n CONNS] [-s SIZE] [-d SECONDS] [-w WARMUP_S]
 *       CONNS connections, each sends SIZE bytes (64) and waits for them to come back,
 *       again and again; round trips/s and latency percentiles over SECONDS after WARMUP_S.
 *   loadgen connrate -p PORT [-n CONCURRENCY] [-s SIZE] [-d SECONDS] [-w WARMUP_S]
 *       CONCURRENCY (50) sessions at once, each: connect, SIZE bytes (16) echoed, close.
 *   loadgen idle     -p PORT -n CONNS [-s SIZE]
 *       opens CONNS connections (at most 100 in flight), echoes SIZE bytes on each, prints
 *       {"ready": CONNS}, then holds them open until a line (or EOF) arrives on stdin.
 *
 * -h HOST (default 127.0.0.1). Every client socket has TCP_NODELAY. Errors (refused,
 * reset, short echo) are counted and reported, never retried silently.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256

static struct sockaddr_in server_addr;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what) {
    printf("{\"error\": \"%s: %s\"}\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void raise_nofile(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Tells bench/run.py when the measured window opens and closes (it samples the server's
 * CPU time there). */
static void phase(const char *name) {
    printf("{\"phase\": \"%s\"}\n", name);
    fflush(stdout);
}

static void set_nodelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* A blocking connect, then non-blocking from there on. */
static int connect_blocking(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr) < 0) die("connect");
    set_nodelay(fd);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* With spread, the client socket is bound to one of 250 loopback addresses in turn
 * (127.0.0.2 to 127.0.0.251; the port is still picked at connect()). The client closes
 * first, so each session of connrate leaves a TIME_WAIT on the client side: from one
 * address, hundreds of thousands of them over a run made connect() itself slow and capped
 * the rate of whichever server ran later. Spread over 250 addresses they cost nothing. */
static int connect_nonblocking_from(int *in_progress, int spread) {
    static unsigned counter;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    set_nodelay(fd);
    if (spread && server_addr.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
        int one = 1;
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = 0};
        local.sin_addr.s_addr = htonl((127u << 24) | (2u + counter++ % 250u));
        if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) die("bind");
    }
    int rc = connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr);
    if (rc == 0) {
        *in_progress = 0;
    } else if (errno == EINPROGRESS) {
        *in_progress = 1;
    } else {
        close(fd);
        return -1;
    }
    return fd;
}

static int connect_nonblocking(int *in_progress) { return connect_nonblocking_from(in_progress, 0); }

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ bulk */

static int run_bulk(uint64_t total, size_t chunk, double timeout_s) {
    char *out = malloc(chunk);
    size_t in_cap = 1 << 20;
    char *in = malloc(in_cap);
    for (size_t i = 0; i < chunk; i++) out[i] = (char)(i % 251);
    /* The echo must be the very bytes sent: byte k of the stream is (k % chunk) % 251, so
     * every read is compared with this pattern, which repeats every chunk bytes. */
    char *pat = malloc(in_cap + chunk);
    for (size_t i = 0; i < in_cap + chunk; i++) pat[i] = (char)((i % chunk) % 251);
    int fd = connect_blocking();
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    uint64_t sent = 0, received = 0, writes = 0, bad = 0;
    size_t chunk_off = 0; /* bytes of the current chunk already written */
    int want_out = 1;
    phase("measure");
    double start = now_s(), deadline = start + timeout_s;
    struct epoll_event events[4];
    while (received < total) {
        int n = epoll_wait(ep, events, 4, 200);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        if (now_s() > deadline) {
            printf("{\"error\": \"timeout\", \"sent\": %llu, \"received\": %llu}\n",
                   (unsigned long long)sent, (unsigned long long)received);
            return 1;
        }
        for (int i = 0; i < n; i++) {
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                for (;;) {
                    ssize_t r = read(fd, in, in_cap);
                    if (r > 0) {
                        if (received + (uint64_t)r > total ||
                            memcmp(in, pat + received % chunk, (size_t)r) != 0)
                            bad++;
                        received += (uint64_t)r;
                        continue;
                    }
                    if (r == 0) {
                        printf("{\"error\": \"server closed after %llu bytes\"}\n",
                               (unsigned long long)received);
                        return 1;
                    }
                    if (errno == EAGAIN || errno == EINTR) break;
                    die("read");
                }
            }
            if (want_out && (events[i].events & EPOLLOUT)) {
                while (sent < total) {
                    size_t len = chunk - chunk_off;
                    if (len > total - sent) len = (size_t)(total - sent);
                    ssize_t w = write(fd, out + chunk_off, len);
                    if (w < 0) {
                        if (errno == EAGAIN || errno == EINTR) break;
                        die("write");
                    }
                    writes++;
                    sent += (uint64_t)w;
                    chunk_off = (chunk_off + (size_t)w) % chunk;
                }
                if (sent >= total) {
                    want_out = 0;
                    ev.events = EPOLLIN;
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
                }
            }
        }
    }
    double elapsed = now_s() - start;
    phase("end");
    close(fd);
    printf("{\"workload\": \"bulk\", \"bytes\": %llu, \"seconds\": %.6f, \"mib_s\": %.3f, "
           "\"writes\": %llu, \"bad\": %llu}\n",
           (unsigned long long)total, elapsed, (double)total / elapsed / 1048576.0,
           (unsigned long long)writes, (unsigned long long)bad);
    return 0;
}

/* ------------------------------------------------------------------ ping-pong */

struct pp_conn {
    int fd;
    size_t got;
    uint64_t sent_at;
};

static int run_pingpong(int conns, size_t size, double duration, double warmup) {
    char *msg = malloc(size);
    char *buf = malloc(size > 65536 ? size : 65536);
    memset(msg, 'x', size);
    struct pp_conn *cs = calloc((size_t)conns, sizeof *cs);
    int ep = epoll_create1(0);
    for (int i = 0; i < conns; i++) {
        cs[i].fd = connect_blocking();
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    size_t cap = 1 << 20, nlat = 0;
    uint32_t *lat = malloc(cap * sizeof *lat);
    uint64_t trips = 0, errors = 0;
    int measuring = 0;
    double t0 = now_s(), t_measure = t0 + warmup, t_end = t_measure + duration, t_start = 0;
    for (int i = 0; i < conns; i++) {
        cs[i].sent_at = now_ns();
        if (write(cs[i].fd, msg, size) != (ssize_t)size) errors++;
    }
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, 100);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        double t = now_s();
        if (!measuring && t >= t_measure) {
            measuring = 1;
            trips = 0;
            nlat = 0;
            t_start = t;
            phase("measure");
        }
        if (t >= t_end) break;
        for (int k = 0; k < n; k++) {
            struct pp_conn *c = &cs[events[k].data.u32];
            if (c->fd < 0) continue;
            ssize_t r = read(c->fd, buf, size - c->got);
            if (r <= 0) {
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                errors++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = -1;
                continue;
            }
            c->got += (size_t)r;
            if (c->got < size) continue;
            uint64_t now = now_ns();
            if (measuring) {
                uint64_t d = now - c->sent_at;
                if (nlat == cap) {
                    cap *= 2;
                    lat = realloc(lat, cap * sizeof *lat);
                }
                lat[nlat++] = d > 0xffffffffull ? 0xffffffffu : (uint32_t)d;
                trips++;
            }
            c->got = 0;
            c->sent_at = now;
            if (write(c->fd, msg, size) != (ssize_t)size) errors++;
        }
    }
    double elapsed = now_s() - t_start;
    phase("end");
    for (int i = 0; i < conns; i++)
        if (cs[i].fd >= 0) close(cs[i].fd);
    qsort(lat, nlat, sizeof *lat, cmp_u32);
    double p50 = nlat ? lat[nlat / 2] / 1000.0 : 0, p99 = nlat ? lat[(nlat * 99) / 100] / 1000.0 : 0;
    printf("{\"workload\": \"pingpong\", \"conns\": %d, \"size\": %zu, \"seconds\": %.6f, "
           "\"round_trips\": %llu, \"rt_s\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, "
           "\"errors\": %llu}\n",
           conns, size, elapsed, (unsigned long long)trips, trips / elapsed, p50, p99,
           (unsigned long long)errors);
    return 0;
}

/* ------------------------------------------------------------------ connection rate */

struct cr_sess {
    int fd;
    int state; /* 0 connecting, 1 reading the echo */
    size_t got;
};

static int cr_start(int ep, struct cr_sess *s, uint32_t idx, uint64_t *errors) {
    for (int attempt = 0; attempt < 1000; attempt++) {
        int in_progress;
        int fd = connect_nonblocking_from(&in_progress, 1);
        if (fd < 0) {
            (*errors)++;
            continue;
        }
        s->fd = fd;
        s->state = 0;
        s->got = 0;
        struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = idx};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        return 0;
    }
    return -1;
}

static int run_connrate(int concurrency, size_t size, double duration, double warmup) {
    char *msg = malloc(size);
    char buf[4096];
    memset(msg, 'c', size);
    struct cr_sess *ss = calloc((size_t)concurrency, sizeof *ss);
    int ep = epoll_create1(0);
    uint64_t done = 0, errors = 0;
    for (int i = 0; i < concurrency; i++)
        if (cr_start(ep, &ss[i], (uint32_t)i, &errors) < 0) die("connect");
    int measuring = 0;
    double t0 = now_s(), t_measure = t0 + warmup, t_end = t_measure + duration, t_start = t0;
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, 100);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        double t = now_s();
        if (!measuring && t >= t_measure) {
            measuring = 1;
            done = 0;
            errors = 0;
            t_start = t;
            phase("measure");
        }
        if (t >= t_end) break;
        for (int k = 0; k < n; k++) {
            uint32_t idx = events[k].data.u32;
            struct cr_sess *s = &ss[idx];
            int finished = 0, failed = 0;
            if (s->state == 0) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err) {
                    failed = 1;
                } else if (write(s->fd, msg, size) != (ssize_t)size) {
                    failed = 1;
                } else {
                    s->state = 1;
                    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = idx};
                    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
                }
            } else {
                ssize_t r = read(s->fd, buf, sizeof buf);
                if (r > 0) {
                    s->got += (size_t)r;
                    if (s->got >= size) finished = 1;
                } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                    failed = 1;
                }
            }
            if (finished || failed) {
                close(s->fd); /* close() also removes it from the epoll set */
                if (finished) done++;
                else errors++;
                if (cr_start(ep, s, idx, &errors) < 0) die("connect");
            }
        }
    }
    double elapsed = now_s() - t_start;
    phase("end");
    for (int i = 0; i < concurrency; i++) close(ss[i].fd);
    printf("{\"workload\": \"connrate\", \"concurrency\": %d, \"size\": %zu, \"seconds\": %.6f, "
           "\"connections\": %llu, \"conns_s\": %.1f, \"errors\": %llu}\n",
           concurrency, size, elapsed, (unsigned long long)done, done / elapsed,
           (unsigned long long)errors);
    return 0;
}

/* ------------------------------------------------------------------ idle connections */

static int run_idle(int conns, size_t size) {
    char *msg = malloc(size);
    char buf[4096];
    memset(msg, 'i', size);
    int *fds = malloc((size_t)conns * sizeof *fds);
    size_t *got = calloc((size_t)conns, sizeof *got);
    int ep = epoll_create1(0);
    int opened = 0, ready = 0, in_flight = 0;
    uint64_t errors = 0;
    double deadline = now_s() + 120;
    struct epoll_event events[MAX_EVENTS];
    while (ready < conns) {
        while (opened < conns && in_flight < 100) {
            int in_progress;
            int fd = connect_nonblocking(&in_progress);
            if (fd < 0) die("connect");
            fds[opened] = fd;
            struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)opened};
            epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            opened++;
            in_flight++;
        }
        int n = epoll_wait(ep, events, MAX_EVENTS, 200);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        if (now_s() > deadline) {
            printf("{\"error\": \"timeout\", \"ready\": %d}\n", ready);
            return 1;
        }
        for (int k = 0; k < n; k++) {
            uint32_t i = events[k].data.u32;
            if (events[k].events & EPOLLOUT) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
                if (err || write(fds[i], msg, size) != (ssize_t)size) {
                    errno = err;
                    die("idle connect");
                }
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
                epoll_ctl(ep, EPOLL_CTL_MOD, fds[i], &ev);
                continue;
            }
            ssize_t r = read(fds[i], buf, sizeof buf);
            if (r <= 0) {
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                errors++;
                die("idle read");
            }
            got[i] += (size_t)r;
            if (got[i] >= size) {
                epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
                ready++;
                in_flight--;
            }
        }
    }
    printf("{\"ready\": %d}\n", ready);
    fflush(stdout);
    char line[64];
    if (fgets(line, sizeof line, stdin) == NULL) { /* EOF: release as well */
    }
    for (int i = 0; i < conns; i++) close(fds[i]);
    printf("{\"workload\": \"idle\", \"conns\": %d, \"errors\": %llu}\n", conns,
           (unsigned long long)errors);
    return 0;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: loadgen bulk|pingpong|connrate|idle -p PORT [options]\n");
        return 2;
    }
    const char *mode = argv[1];
    const char *host = "127.0.0.1";
    int port = 0, conns = -1;
    size_t size = 0, chunk = 65536;
    uint64_t bytes = 1ull << 30;
    double duration = 3, warmup = 0.5, timeout_s = 300;
    int opt;
    optind = 2;
    while ((opt = getopt(argc, argv, "h:p:n:s:b:c:d:w:t:")) != -1) {
        switch (opt) {
        case 'h': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'n': conns = atoi(optarg); break;
        case 's': size = (size_t)atol(optarg); break;
        case 'b': bytes = strtoull(optarg, NULL, 10); break;
        case 'c': chunk = (size_t)atol(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case 't': timeout_s = atof(optarg); break;
        default: return 2;
        }
    }
    if (port <= 0) {
        fprintf(stderr, "loadgen: -p PORT is required\n");
        return 2;
    }
    raise_nofile();
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &server_addr.sin_addr) != 1) {
        fprintf(stderr, "loadgen: bad IPv4 address %s\n", host);
        return 2;
    }
    if (strcmp(mode, "bulk") == 0) return run_bulk(bytes, chunk, timeout_s);
    if (strcmp(mode, "pingpong") == 0)
        return run_pingpong(conns > 0 ? conns : 1, size ? size : 64, duration, warmup);
    if (strcmp(mode, "connrate") == 0)
        return run_connrate(conns > 0 ? conns : 50, size ? size : 16, duration, warmup);
    if (strcmp(mode, "idle") == 0) return run_idle(conns > 0 ? conns : 1000, size ? size : 16);
    fprintf(stderr, "loadgen: unknown mode %s\n", mode);
    return 2;
}
