/*
 * A fault injector for the ledger's durability tests, loaded with LD_PRELOAD
 * into a child Node process. It wraps fsync/fdatasync (and, for the "nothing
 * was written" case, fwrite_unlocked on LevelDB's write-ahead log) and fails
 * them with EIO when the test arms it, through files in $FSYNC_FAULT_DIR:
 *
 *   sync-next    contains N: the next N fsync/fdatasync calls fail (EIO),
 *                after the call has done nothing (the data written before it
 *                stays in the page cache, as after a real failed fdatasync).
 *   sync-always  while it exists, every fsync/fdatasync fails.
 *   log-write-next  contains N: the next N buffered writes to a `*.log` file
 *                (LevelDB's WAL) fail with ENOSPC and write nothing.
 *   injected     the injector appends one line per fault it injected, so a
 *                test can prove the fault really fired.
 *
 * Arming is claimed with rename(2), which is atomic: LevelDB calls these from
 * libuv's thread pool, and exactly one caller claims each arming file.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc may define it as a macro under optimization; we define the real symbol. */
#undef fwrite_unlocked

static long pending_sync = 0;
static long pending_write = 0;

static const char *fault_dir(void) { return getenv("FSYNC_FAULT_DIR"); }

static void path_in(char *out, const char *dir, const char *name) { snprintf(out, PATH_MAX, "%s/%s", dir, name); }

/* Adds the count in `name` (if armed) to *pending, then takes one fault if any is pending. */
static int take_fault(const char *name, long *pending) {
  const char *dir = fault_dir();
  if (dir == NULL) return 0;
  char armed[PATH_MAX], claimed[PATH_MAX + 32];
  path_in(armed, dir, name);
  snprintf(claimed, sizeof claimed, "%s.%ld.claimed", armed, (long)syscall(SYS_gettid));
  if (rename(armed, claimed) == 0) {
    char buf[32] = {0};
    int fd = open(claimed, O_RDONLY);
    if (fd >= 0) {
      ssize_t n = read(fd, buf, sizeof buf - 1);
      if (n > 0) __atomic_add_fetch(pending, atol(buf) > 0 ? atol(buf) : 1, __ATOMIC_SEQ_CST);
      close(fd);
    }
    unlink(claimed);
  }
  long n = __atomic_load_n(pending, __ATOMIC_SEQ_CST);
  while (n > 0) {
    if (__atomic_compare_exchange_n(pending, &n, n - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return 1;
  }
  return 0;
}

static int sync_always(void) {
  const char *dir = fault_dir();
  if (dir == NULL) return 0;
  char path[PATH_MAX];
  path_in(path, dir, "sync-always");
  return access(path, F_OK) == 0;
}

/* One line per injected fault; raw syscalls so no wrapped function is re-entered. */
static void record(const char *what) {
  char path[PATH_MAX];
  path_in(path, fault_dir(), "injected");
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) return;
  char line[64];
  int n = snprintf(line, sizeof line, "%s\n", what);
  if (write(fd, line, (size_t)n) < 0) { /* nothing to do: the count is best effort */ }
  close(fd);
}

static int fail_sync(const char *what) {
  if (!sync_always() && !take_fault("sync-next", &pending_sync)) return 0;
  record(what);
  errno = EIO;
  return 1;
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return fail_sync("fsync") ? -1 : real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  return fail_sync("fdatasync") ? -1 : real(fd);
}

static int is_wal(FILE *f) {
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(f));
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 4) return 0;
  target[n] = 0;
  return strcmp(target + n - 4, ".log") == 0;
}

/* Cheap gate before the readlink: a fault is pending or an arming file exists. */
static int write_armed(void) {
  const char *dir = fault_dir();
  if (dir == NULL) return 0;
  if (__atomic_load_n(&pending_write, __ATOMIC_SEQ_CST) > 0) return 1;
  char path[PATH_MAX];
  path_in(path, dir, "log-write-next");
  return access(path, F_OK) == 0;
}

size_t fwrite_unlocked(const void *ptr, size_t size, size_t n, FILE *f) {
  static size_t (*real)(const void *, size_t, size_t, FILE *);
  if (!real) real = (size_t (*)(const void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT, "fwrite_unlocked");
  if (write_armed() && is_wal(f) && take_fault("log-write-next", &pending_write)) {
    record("log-write");
    errno = ENOSPC;
    return 0;
  }
  return real(ptr, size, n, f);
}
