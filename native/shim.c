/*
 * runledger-shim: the parent of every supervised child.
 *
 * Node cannot be a subreaper, so if the supervisor crashed the child's exit
 * status would be lost. This shim forks the child, stays its parent (in a
 * different process group, so group signals meant for the child never hit
 * it), captures stdout/stderr into size-capped rotating logs, and writes
 * exit.json atomically the moment the child dies. The supervisor being slow,
 * dead or restarted changes nothing here.
 *
 *   runledger-shim --dir D --max-bytes N --keep K [--status-fd F] [--tty]
 *                  [--wait-file NAME] -- cmd args...
 *                  [--env-file NAME] [--cgroup PATH]
 *   runledger-shim --log-writer --dir D --max-bytes N --keep K   (stdin -> stdout.log)
 *
 * Files in D: child.json {pid,pgid,startTime,shimPid} once exec succeeded;
 * spawn-error.json {errno,message} if it did not; exit.json
 * {exitCode,signal,exitedAt,pid}; output.done once the logs are drained.
 * exit.json's space is reserved at spawn (.exit.json.tmp) and every write
 * is checked; the shim then exits with its child's status (code or signal),
 * a second copy of it that survives a disk too full for the record.
 *
 * Memory per supervised process, measured by bench/runtime.mjs (Debian 12,
 * glibc 2.36, gcc -O2, dynamic; median of 20 next to `sleep 1000`):
 *   runledger-shim                 VmRSS ~1.6 MB, private pages ~100 kB
 *   sh -c 'cmd; echo $? > file'    VmRSS ~1.7 MB, private pages ~104 kB (dash)
 * So the shim costs no more than a shell wrapper, and unlike one it records
 * the signal name and caps and rotates the logs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "records.h"
#include "rotate.h"

struct opts {
  const char *dir;
  long long max_bytes;
  int keep;
  int status_fd;
  int tty;
  int log_writer;
  const char *wait_file;
  const char *env_file;
  const char *cgroup;
  char **argv;
};

static int dir_fd = -1;
static int sigchld_pipe[2] = {-1, -1};

/* Diagnostics go to shim.log in the attempt dir: our stderr may be /dev/null or the child's tty. */
static void die(const char *msg) {
  int err = errno;
  int fd = dir_fd >= 0 ? openat(dir_fd, "shim.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
  dprintf(fd >= 0 ? fd : STDERR_FILENO, "runledger-shim: %s: %s\n", msg, strerror(err));
  exit(125);
}

static void usage(void) {
  fputs("usage: runledger-shim --dir D --max-bytes N --keep K [--status-fd F] [--tty] "
        "[--wait-file NAME] -- cmd args...\n"
        "       runledger-shim --log-writer --dir D --max-bytes N --keep K\n", stderr);
  exit(2);
}

static void parse_opts(int argc, char **argv, struct opts *o) {
  memset(o, 0, sizeof *o);
  o->status_fd = -1;
  o->max_bytes = 10 * 1024 * 1024;
  o->keep = 3;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--")) { o->argv = &argv[i + 1]; break; }
    else if (!strcmp(a, "--tty")) o->tty = 1;
    else if (!strcmp(a, "--log-writer")) o->log_writer = 1;
    else if (!next) usage();
    else if (!strcmp(a, "--dir")) { o->dir = next; i++; }
    else if (!strcmp(a, "--max-bytes")) { o->max_bytes = atoll(next); i++; }
    else if (!strcmp(a, "--keep")) { o->keep = atoi(next); i++; }
    else if (!strcmp(a, "--status-fd")) { o->status_fd = atoi(next); i++; }
    else if (!strcmp(a, "--wait-file")) { o->wait_file = next; i++; }
    else if (!strcmp(a, "--env-file")) { o->env_file = next; i++; }
    else if (!strcmp(a, "--cgroup")) { o->cgroup = next; i++; }
    else usage();
  }
  if (!o->dir || o->max_bytes <= 0 || o->keep < 0) usage();
  if (!o->log_writer && (!o->argv || !o->argv[0])) usage();
}

static void report_spawn_error(const struct opts *o, int err) {
  char body[1024];
  snprintf(body, sizeof body, "{\"errno\":%d,\"code\":\"%s\",\"message\":\"%s\"}\n", err,
           strerrorname_np(err) ? strerrorname_np(err) : "EUNKNOWN", strerror(err));
  write_atomic(dir_fd, "spawn-error.json", body);
  if (o->status_fd >= 0) {
    dprintf(o->status_fd, "%s", body);
    close(o->status_fd);
  }
}

static void report_child(const struct opts *o, pid_t pid) {
  long pgid = pid;
  char start[32] = "";
  /* The child is not reaped yet (at worst a zombie), so its stat is still there. */
  read_stat(pid, &pgid, start, sizeof start);
  /* The boot id completes the identity: after a reboot, pids and start times repeat. */
  char boot[64] = "";
  int bfd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
  if (bfd >= 0) {
    ssize_t n = read(bfd, boot, sizeof boot - 1);
    close(bfd);
    boot[n > 0 ? n : 0] = '\0';
    boot[strcspn(boot, "\n")] = '\0';
  }
  char body[320];
  snprintf(body, sizeof body, "{\"pid\":%d,\"pgid\":%ld,\"startTime\":\"%s\",\"shimPid\":%d,\"bootId\":\"%s\"}\n",
           (int)pid, pgid, start, (int)getpid(), boot);
  /* Not fsynced: it is on the spawn's critical path and only live processes read it. */
  write_file_atomic(dir_fd, "child.json", body, 0);
  if (o->status_fd >= 0) {
    dprintf(o->status_fd, "%s", body);
    close(o->status_fd);
  }
}

/*
 * In the child, first thing after fork: move into the attempt's cgroup, so
 * it is a member before it can fork (nothing it starts can escape, not even
 * through setsid). The shim stays outside, so cgroup.kill never takes it.
 * A failure is not fatal (the supervisor falls back to the process group)
 * but is recorded in cgroup-error for the spawner to read: it is written
 * before exec, so it exists by the time child.json reports the exec.
 */
static void join_cgroup(const char *path) {
  char file[4096], why[4400];
  snprintf(file, sizeof file, "%s/cgroup.procs", path);
  int fd = open(file, O_WRONLY | O_CLOEXEC);
  int ok = fd >= 0 && write(fd, "0\n", 2) == 2; /* "0": the writer itself */
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok) { ok = 0; err = errno; }
  if (ok) return;
  snprintf(why, sizeof why, "cannot join %s: %s\n", path, strerror(err));
  write_file_atomic(dir_fd, "cgroup-error", why, 0);
}

/* In the child: leave it exactly as a plain spawn would, then exec. */
static void exec_child(const struct opts *o, char **envp, int out_w, int err_w, int exec_w) {
  if (o->cgroup) join_cgroup(o->cgroup);
  if (o->tty) {
    /* Own group, but keep the pane as controlling terminal and take the foreground. */
    signal(SIGTTOU, SIG_IGN);
    setpgid(0, 0);
    tcsetpgrp(STDIN_FILENO, getpid());
  } else {
    setsid();
    dup2(out_w, STDOUT_FILENO);
    dup2(err_w, STDERR_FILENO);
    close(out_w);
    close(err_w);
  }
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (envp) environ = envp; /* before execvp, so PATH lookup uses the child's PATH */
  execvp(o->argv[0], o->argv);
  int err = errno;
  (void)!write(exec_w, &err, sizeof err);
  _exit(127);
}

static void on_sigchld(int s) {
  (void)s;
  int saved = errno;
  (void)!write(sigchld_pipe[1], "x", 1);
  errno = saved;
}

static void protect_self(void) {
  /* Only the shim ignores these; the child was forked before this ran. */
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) < 0) die("pipe");
  struct sigaction sa = {0};
  sa.sa_handler = on_sigchld;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int pump(int fd, struct rotator *r) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (n <= 0) return 0;
  rotator_write(r, buf, (size_t)n);
  return 1;
}

/* Copy the child's output until it exits, record the exit, then drain briefly. Returns the wait status. */
static int supervise(pid_t child, int out_r, int err_r, struct rotator *out, struct rotator *err) {
  int fds[2] = {out_r, err_r};
  struct rotator *rs[2] = {out, err};
  int reaped = 0, status = 0;
  long long drain_until = 0, idle_until = 0;
  for (;;) {
    if (!reaped) {
      pid_t w = waitpid(child, &status, WNOHANG);
      if (w == child) {
        write_exit(dir_fd, child, status); /* before anything else */
        reaped = 1;
        /* Grandchildren may hold the pipes forever: drain at most 2 s, stop after 300 ms idle. */
        drain_until = now_ms() + 2000;
        idle_until = now_ms() + 300;
      }
    }
    if (reaped && ((fds[0] < 0 && fds[1] < 0) || now_ms() >= drain_until || now_ms() >= idle_until)) return status;
    struct pollfd p[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}, {sigchld_pipe[0], POLLIN, 0}};
    int timeout = reaped ? 50 : -1;
    if (poll(p, 3, timeout) < 0 && errno != EINTR) die("poll");
    if (p[2].revents) { char b[64]; while (read(sigchld_pipe[0], b, sizeof b) > 0) {} }
    for (int i = 0; i < 2; i++) {
      if (fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (!pump(fds[i], rs[i])) { close(fds[i]); fds[i] = -1; }
      else if (reaped) idle_until = now_ms() + 300;
    }
  }
}

/*
 * End the way the child ended, like `sh -c cmd` does: its exit code, or the
 * same signal (no core dump of ours). The shim's own status is then a copy
 * of the child's that needs no disk: a supervisor that is the shim's parent
 * reads it when a full disk kept exit.json from being written.
 */
static int exit_like(int status) {
  if (!WIFSIGNALED(status)) return WEXITSTATUS(status);
  int sig = WTERMSIG(status);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(sig, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  sigprocmask(SIG_UNBLOCK, &only, NULL);
  raise(sig);
  return 128 + sig; /* not reached for a signal that kills */
}

static void wait_for_file(const char *name) {
  for (int i = 0; i < 1000; i++) { /* 10 s */
    if (faccessat(dir_fd, name, F_OK, 0) == 0) return;
    usleep(10000);
  }
}

static int run_log_writer(const struct opts *o) {
  struct rotator r;
  rotator_open(&r, dir_fd, "stdout.log", o->max_bytes, o->keep);
  signal(SIGPIPE, SIG_IGN);
  while (pump(STDIN_FILENO, &r)) {}
  rotator_close(&r);
  write_file_atomic(dir_fd, "output.done", "", 0);
  return 0;
}

/*
 * Close every inherited descriptor but stdio and our status fd. Whatever
 * spawned us may hold files without O_CLOEXEC -- LevelDB's LOCK file, the
 * daemon's listening socket -- and a long-lived child must not keep them
 * open: an inherited LOCK fd would keep the ledger locked after the
 * supervisor died, and the child has no business with our sockets.
 */
static void close_inherited_fds(int keep) {
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = 3; fd < max; fd++) {
    if (fd != keep) close(fd);
  }
}

int main(int argc, char **argv) {
  struct opts o;
  parse_opts(argc, argv, &o);
  close_inherited_fds(o.status_fd);
  dir_fd = open(o.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) die(o.dir);
  if (o.status_fd >= 0) fcntl(o.status_fd, F_SETFD, FD_CLOEXEC);
  if (o.log_writer) return run_log_writer(&o);
  if (o.wait_file) wait_for_file(o.wait_file);
  char **envp = NULL;
  if (o.env_file && !(envp = load_env(dir_fd, o.env_file))) die("env file");

  int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, exec_p[2];
  if (!o.tty && (pipe2(out_p, O_CLOEXEC) < 0 || pipe2(err_p, O_CLOEXEC) < 0)) die("pipe");
  if (pipe2(exec_p, O_CLOEXEC) < 0) die("pipe");
  pid_t child = fork();
  if (child < 0) { report_spawn_error(&o, errno); return 127; }
  if (child == 0) exec_child(&o, envp, out_p[1], err_p[1], exec_p[1]);
  close(exec_p[1]);
  if (!o.tty) { close(out_p[1]); close(err_p[1]); }

  /* EOF on the CLOEXEC pipe means exec succeeded; an int means it failed with that errno. */
  int exec_err = 0;
  ssize_t n;
  do n = read(exec_p[0], &exec_err, sizeof exec_err); while (n < 0 && errno == EINTR);
  close(exec_p[0]);
  if (n == sizeof exec_err) {
    waitpid(child, NULL, 0);
    report_spawn_error(&o, exec_err);
    return 127;
  }
  protect_self();
  /* Before the child is reported: from then on a full disk must not cost its exit record. */
  reserve_exit(dir_fd);
  report_child(&o, child);

  struct rotator out, err;
  int status;
  if (!o.tty) {
    rotator_open(&out, dir_fd, "stdout.log", o.max_bytes, o.keep);
    rotator_open(&err, dir_fd, "stderr.log", o.max_bytes, o.keep);
    status = supervise(child, out_p[0], err_p[0], &out, &err);
    rotator_close(&out);
    rotator_close(&err);
    write_file_atomic(dir_fd, "output.done", "", 0);
  } else {
    status = supervise(child, -1, -1, NULL, NULL);
    /* pipe-pane's writer owns the logs in tty mode; give tmux a moment to pass on the last output. */
    usleep(100000);
  }
  /* In a tmux pane the tmux server is our parent and nobody reads our status: end as before. */
  return o.tty ? 0 : exit_like(status);
}
