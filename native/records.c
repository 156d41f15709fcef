/*
 * The shim's records: atomic JSON files, /proc/<pid>/stat parsing and the
 * environment file. Kept apart from shim.c so the process logic reads alone.
 */
#define _GNU_SOURCE
#include "records.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* pwrite all of buf at off, retrying short writes and EINTR; -1 with errno on failure. */
int write_all_at(int fd, const char *buf, size_t len, off_t off) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = pwrite(fd, buf + done, len - done, off + (off_t)done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) { errno = ENOSPC; return -1; }
    done += (size_t)n;
  }
  return 0;
}

/*
 * Write a small file atomically: temp + rename, so readers never see half of
 * it. With `durable`, fsync the file and the directory too: only the exit
 * record needs to survive an OS crash; the others are read by live processes.
 * Every step is checked: on a full disk a short write or a failed fsync must
 * never be renamed into place (an empty exit.json reads as "no record"), so
 * the temp file is removed and -1 returned instead.
 */
int write_file_atomic(int dir_fd, const char *name, const char *body, int durable) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, ".%s.tmp", name);
  int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  int ok = write_all_at(fd, body, strlen(body), 0) == 0 && (!durable || fsync(fd) == 0);
  ok = close(fd) == 0 && ok;
  ok = ok && renameat(dir_fd, tmp, dir_fd, name) == 0;
  if (!ok) {
    unlinkat(dir_fd, tmp, 0);
    return -1;
  }
  if (durable) fsync(dir_fd); /* the record is in place; a failure here only weakens crash safety */
  return 0;
}

int write_atomic(int dir_fd, const char *name, const char *body) {
  return write_file_atomic(dir_fd, name, body, 1);
}

static void format_now(char *buf, size_t size) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Fields after the last ')' of /proc/<pid>/stat; comm may contain anything. */
int read_stat(pid_t pid, long *pgid, char *start, size_t start_size) {
  char path[64], buf[2048];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  /* after ") ": field 3 state, 4 ppid, 5 pgrp, ... 22 starttime */
  char *save = NULL, *tok = strtok_r(p + 1, " ", &save);
  for (int field = 3; tok; field++, tok = strtok_r(NULL, " ", &save)) {
    if (field == 5) *pgid = atol(tok);
    if (field == 22) { snprintf(start, start_size, "%s", tok); return 0; }
  }
  return -1;
}

/*
 * exit.json's space is taken when the child starts, not when it ends: a
 * placeholder of EXIT_RECORD_BYTES spaces is written under the record's temp
 * name. At the exit the record overwrites those bytes in place (already
 * allocated: nothing to find on a full disk), is fsynced and renamed.
 * Not fsynced here, to keep the spawn fast: the write itself reserves the
 * space (tmpfs allocates the page, ext4's delayed allocation reserves it).
 * Copy-on-write file systems (btrfs, zfs) allocate on every overwrite, so
 * there the reservation only helps as far as they keep slack for metadata.
 */
int reserve_exit(int dir_fd) {
  char pad[EXIT_RECORD_BYTES];
  memset(pad, ' ', sizeof pad);
  pad[sizeof pad - 1] = '\n';
  int fd = openat(dir_fd, EXIT_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  int ok = write_all_at(fd, pad, sizeof pad, 0) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok) unlinkat(dir_fd, EXIT_TMP, 0); /* a short placeholder would only mislead write_exit */
  return ok ? 0 : -1;
}

/* The reserved placeholder, overwritten in place (same length, so no allocation), then renamed. */
static int fill_reserved(int dir_fd, const char *body) {
  char padded[EXIT_RECORD_BYTES];
  size_t len = strlen(body);
  if (len >= sizeof padded) return -1;
  memset(padded, ' ', sizeof padded);
  memcpy(padded, body, len); /* JSON allows the trailing spaces */
  padded[sizeof padded - 1] = '\n';
  int fd = openat(dir_fd, EXIT_TMP, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  int ok = fstat(fd, &st) == 0 && st.st_size == (off_t)sizeof padded;
  ok = ok && write_all_at(fd, padded, sizeof padded, 0) == 0 && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  ok = ok && renameat(dir_fd, EXIT_TMP, dir_fd, "exit.json") == 0;
  if (!ok) return -1;
  fsync(dir_fd);
  return 0;
}

int write_exit(int dir_fd, pid_t pid, int status) {
  char when[40], body[200], sig[32] = "null";
  format_now(when, sizeof when);
  if (WIFSIGNALED(status)) {
    const char *abbrev = sigabbrev_np(WTERMSIG(status));
    if (abbrev) snprintf(sig, sizeof sig, "\"SIG%s\"", abbrev);
    else snprintf(sig, sizeof sig, "\"SIG%d\"", WTERMSIG(status));
    snprintf(body, sizeof body, "{\"exitCode\":null,\"signal\":%s,\"exitedAt\":\"%s\",\"pid\":%d}\n",
             sig, when, (int)pid);
  } else {
    snprintf(body, sizeof body, "{\"exitCode\":%d,\"signal\":null,\"exitedAt\":\"%s\",\"pid\":%d}\n",
             WEXITSTATUS(status), when, (int)pid);
  }
  if (fill_reserved(dir_fd, body) == 0) return 0;
  /* No reservation (the disk was already full at spawn) or it failed: one checked fresh try. */
  return write_atomic(dir_fd, "exit.json", body);
}

/*
 * The child's exact environment from a NUL-separated K=V file in the attempt
 * dir (tmux mode: a tmux pane would otherwise mix in the server's variables,
 * and `-e K=V` would show secrets in ps). The file is deleted once read.
 * TERM, TMUX and TMUX_PANE from the pane are kept so terminal programs work.
 */
char **load_env(int dir_fd, const char *name) {
  int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) < 0) return NULL;
  char *buf = calloc((size_t)st.st_size + 1, 1);
  size_t off = 0;
  while (buf && off < (size_t)st.st_size) {
    ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);
    if (n <= 0) break;
    off += (size_t)n;
  }
  close(fd);
  unlinkat(dir_fd, name, 0);
  static const char *keep[] = {"TERM", "TMUX", "TMUX_PANE"};
  size_t count = 0;
  for (size_t i = 0; i < off; i++) if (buf[i] == 0) count++;
  char **env = calloc(count + 4 + 1, sizeof *env);
  if (!buf || !env) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < off; i += strlen(buf + i) + 1) if (buf[i]) env[n++] = buf + i;
  for (size_t k = 0; k < 3; k++) {
    const char *v = getenv(keep[k]);
    size_t len = strlen(keep[k]);
    int present = 0;
    for (size_t i = 0; i < n; i++) if (!strncmp(env[i], keep[k], len) && env[i][len] == '=') present = 1;
    if (v && !present) {
      char *kv = malloc(len + strlen(v) + 2);
      if (!kv) return NULL;
      sprintf(kv, "%s=%s", keep[k], v);
      env[n++] = kv;
    }
  }
  env[n] = NULL;
  return env;
}

