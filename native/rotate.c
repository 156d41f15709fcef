/*
 * Log rotation for the shim. A file never grows past max bytes; at the cap
 * it becomes name.1 (older ones shift up, name.K is deleted), so one stream
 * never uses more than about (max + ROTATE_LINE_CAP) * (keep + 1) bytes of
 * disk. Rotation happens only at a line boundary: a line that straddles max
 * is finished in the current file, so tailers and `logs` see it whole; only
 * a line longer than ROTATE_LINE_CAP is split.
 */
#define _GNU_SOURCE
#include "rotate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IDX_MAGIC "RLTIMES1"

/* 16 bytes: two unsigned 64-bit little-endian numbers, whatever the machine's byte order. */
static int idx_put(int fd, unsigned long long a, unsigned long long b) {
  unsigned char rec[16];
  for (int i = 0; i < 8; i++) {
    rec[i] = (unsigned char)(a >> (8 * i));
    rec[8 + i] = (unsigned char)(b >> (8 * i));
  }
  ssize_t n;
  do n = write(fd, rec, sizeof rec); while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof rec;
}

/* A failed or short index write ends the index of this file: a misaligned record would mistime every later line. */
static void idx_fail(struct rotator *r) {
  if (r->idx_fd >= 0) close(r->idx_fd);
  r->idx_fd = -1;
}

static void idx_name(char *out, size_t size, const char *name, int n) {
  if (n == 0) snprintf(out, size, "%s.idx", name);
  else snprintf(out, size, "%s.%d.idx", name, n);
}

static void open_index(struct rotator *r, int flags) {
  char name[48];
  idx_name(name, sizeof name, r->name, 0);
  r->idx_fd = openat(r->dir_fd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | flags, 0600);
  r->idx_last_ms = -1;
  struct stat log, idx;
  if (r->idx_fd < 0 || r->fd < 0 || fstat(r->fd, &log) != 0 || fstat(r->idx_fd, &idx) != 0) return idx_fail(r);
  if (idx.st_size > 0) return; /* reopened: its header names this log already */
  unsigned char head[16];
  memcpy(head, IDX_MAGIC, 8);
  for (int i = 0; i < 8; i++) head[8 + i] = (unsigned char)((unsigned long long)log.st_ino >> (8 * i));
  ssize_t n;
  do n = write(r->idx_fd, head, sizeof head); while (n < 0 && errno == EINTR);
  if (n != (ssize_t)sizeof head) idx_fail(r);
}

static void open_current(struct rotator *r, int flags) {
  r->fd = openat(r->dir_fd, r->name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | flags, 0600);
  struct stat st;
  r->size = (r->fd >= 0 && fstat(r->fd, &st) == 0) ? st.st_size : 0;
  r->partial = 0; /* a reopened file is taken to end at a line boundary */
  open_index(r, flags);
}

void rotator_open(struct rotator *r, int dir_fd, const char *name, long long max, int keep) {
  r->dir_fd = dir_fd;
  snprintf(r->name, sizeof r->name, "%s", name);
  r->max = max;
  r->keep = keep;
  open_current(r, 0);
}

/* Shift name.i (and its index name.i.idx) to i+1; the index travels with its log, and its header names the log by inode. */
static void rotate(struct rotator *r) {
  char from[48], to[48], ifrom[48], ito[48];
  if (r->fd >= 0) close(r->fd);
  idx_fail(r);
  if (r->keep == 0) {
    unlinkat(r->dir_fd, r->name, 0);
    idx_name(ito, sizeof ito, r->name, 0);
    unlinkat(r->dir_fd, ito, 0);
  } else {
    snprintf(to, sizeof to, "%s.%d", r->name, r->keep);
    unlinkat(r->dir_fd, to, 0);
    idx_name(ito, sizeof ito, r->name, r->keep);
    unlinkat(r->dir_fd, ito, 0);
    for (int i = r->keep - 1; i >= 0; i--) {
      if (i == 0) snprintf(from, sizeof from, "%s", r->name);
      else snprintf(from, sizeof from, "%s.%d", r->name, i);
      snprintf(to, sizeof to, "%s.%d", r->name, i + 1);
      renameat(r->dir_fd, from, r->dir_fd, to);
      idx_name(ifrom, sizeof ifrom, r->name, i);
      idx_name(ito, sizeof ito, r->name, i + 1);
      renameat(r->dir_fd, ifrom, r->dir_fd, ito);
    }
  }
  open_current(r, O_TRUNC);
}

static void write_all(struct rotator *r, const char *buf, size_t len) {
  while (len > 0 && r->fd >= 0) {
    ssize_t n = write(r->fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* disk full or worse: drop output rather than block the child */
    buf += n;
    len -= (size_t)n;
    r->size += n;
  }
}

static const char *last_newline(const char *buf, size_t len) {
  for (size_t i = len; i > 0; i--)
    if (buf[i - 1] == '\n') return buf + i - 1;
  return NULL;
}

/* Write and keep track of the unfinished line. */
static void write_tracked(struct rotator *r, const char *buf, size_t len) {
  if (len == 0) return;
  /* The record goes first: a reader that sees these bytes finds their time. */
  if (r->idx_fd >= 0 && r->fd >= 0 && r->now_ms != r->idx_last_ms) {
    if (idx_put(r->idx_fd, (unsigned long long)r->size, (unsigned long long)r->now_ms)) r->idx_last_ms = r->now_ms;
    else idx_fail(r);
  }
  write_all(r, buf, len);
  const char *nl = last_newline(buf, len);
  r->partial = nl ? (long long)(len - (size_t)(nl - buf) - 1) : r->partial + (long long)len;
}

/* Write the rest of the current line (up to the line cap), then rotate if the file is full. */
static size_t finish_line(struct rotator *r, const char *buf, size_t len) {
  const char *nl = memchr(buf, '\n', len);
  size_t line = nl ? (size_t)(nl - buf) + 1 : len;
  long long allowed = ROTATE_LINE_CAP - r->partial;
  size_t take = (long long)line <= allowed ? line : (size_t)(allowed > 0 ? allowed : 0);
  write_tracked(r, buf, take);
  if (take < line) r->partial = 0; /* longer than the cap: split here, the rest counts as a new line */
  if (r->partial == 0 && r->size >= r->max) rotate(r);
  return take;
}

void rotator_write(struct rotator *r, const char *buf, size_t len) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  r->now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  while (len > 0) {
    size_t take;
    long long room = r->max - r->size;
    if (r->partial > 0) {
      /* A line begun in this file is finished in it, even past max: never split across files. */
      take = finish_line(r, buf, len);
    } else if ((long long)len <= room) {
      write_tracked(r, buf, len);
      return;
    } else {
      const char *nl = room > 0 ? last_newline(buf, (size_t)room) : NULL;
      if (nl) {
        take = (size_t)(nl - buf) + 1; /* whole lines that fit, then a fresh file */
        write_tracked(r, buf, take);
        rotate(r);
      } else if (r->size > 0) {
        take = 0; /* the next line does not fit: it starts a fresh file */
        rotate(r);
      } else {
        take = finish_line(r, buf, len); /* alone longer than max: whole, up to the cap */
      }
    }
    buf += take;
    len -= take;
  }
}

void rotator_close(struct rotator *r) {
  if (r->fd >= 0) close(r->fd);
  r->fd = -1;
  idx_fail(r);
}
