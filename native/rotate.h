/* Size-capped log files with numbered rotation (name, name.1 .. name.K). */
#ifndef RUNLEDGER_ROTATE_H
#define RUNLEDGER_ROTATE_H
#include <stddef.h>

struct rotator {
  int dir_fd;
  char name[32];
  int fd;
  long long size;
  long long max;
  int keep;
};

void rotator_open(struct rotator *r, int dir_fd, const char *name, long long max, int keep);
void rotator_write(struct rotator *r, const char *buf, size_t len);
void rotator_close(struct rotator *r);
#endif
