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
#include <unistd.h>

static void open_current(struct rotator *r, int flags) {
  r->fd = openat(r->dir_fd, r->name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | flags, 0600);
  struct stat st;
  r->size = (r->fd >= 0 && fstat(r->fd, &st) == 0) ? st.st_size : 0;
  r->partial = 0; /* a reopened file is taken to end at a line boundary */
}

void rotator_open(struct rotator *r, int dir_fd, const char *name, long long max, int keep) {
  r->dir_fd = dir_fd;
  snprintf(r->name, sizeof r->name, "%s", name);
  r->max = max;
  r->keep = keep;
  open_current(r, 0);
}

static void rotate(struct rotator *r) {
  char from[48], to[48];
  if (r->fd >= 0) close(r->fd);
  if (r->keep == 0) {
    unlinkat(r->dir_fd, r->name, 0);
  } else {
    snprintf(to, sizeof to, "%s.%d", r->name, r->keep);
    unlinkat(r->dir_fd, to, 0);
    for (int i = r->keep - 1; i >= 1; i--) {
      snprintf(from, sizeof from, "%s.%d", r->name, i);
      snprintf(to, sizeof to, "%s.%d", r->name, i + 1);
      renameat(r->dir_fd, from, r->dir_fd, to);
    }
    snprintf(to, sizeof to, "%s.1", r->name);
    renameat(r->dir_fd, r->name, r->dir_fd, to);
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
}
