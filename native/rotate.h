/* Size-capped log files with numbered rotation (name, name.1 .. name.K). */
#ifndef RUNLEDGER_ROTATE_H
#define RUNLEDGER_ROTATE_H
#include <stddef.h>

/*
 * Lines up to this many bytes are never split across two files: the line
 * that straddles max is finished in the current file (which may so exceed
 * max by less than this), and rotation happens at its newline. A longer
 * line is split at this size. Matches the reader's line cap
 * (src/runtime/file-follower.ts MAX_LINE) and README "Log rotation".
 */
#define ROTATE_LINE_CAP 65536

struct rotator {
  int dir_fd;
  char name[32];
  int fd;
  long long size;
  long long max;
  int keep;
  /* Bytes of the unfinished last line in the current file (0 after a newline). */
  long long partial;
  /*
   * The time index beside the current file (name.idx, rotated with it as
   * name.N.idx): a 16-byte header (magic, the log's inode), then 16-byte
   * records (offset in the log, wall-clock ms) written before the bytes they
   * time, one per write whose millisecond differs from the last record's.
   * ARCHITECTURE.md "Log timestamps" says why.
   */
  int idx_fd;
  long long idx_last_ms;
  /* Wall-clock ms of the read being written (set by rotator_write). */
  long long now_ms;
};

void rotator_open(struct rotator *r, int dir_fd, const char *name, long long max, int keep);
void rotator_write(struct rotator *r, const char *buf, size_t len);
void rotator_close(struct rotator *r);
#endif
