/* Small files the shim leaves in the attempt dir, and the facts it puts in them. */
#ifndef RUNLEDGER_RECORDS_H
#define RUNLEDGER_RECORDS_H
#include <sys/types.h>

/* temp + fsync + rename (+ fsync of the dir): readers never see half a record. */
void write_atomic(int dir_fd, const char *name, const char *body);
void write_file_atomic(int dir_fd, const char *name, const char *body, int durable);
/* pgid and starttime (field 22) of a pid, parsed after the last ')' of its stat. */
int read_stat(pid_t pid, long *pgid, char *start, size_t start_size);
/* exit.json: {"exitCode","signal","exitedAt","pid"}. */
void write_exit(int dir_fd, pid_t pid, int status);
/* The child's environment from a NUL-separated K=V file, deleted once read; NULL on failure. */
char **load_env(int dir_fd, const char *name);
#endif
