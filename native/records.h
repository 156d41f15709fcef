/* Small files the shim leaves in the attempt dir, and the facts it puts in them. */
#ifndef RUNLEDGER_RECORDS_H
#define RUNLEDGER_RECORDS_H
#include <sys/types.h>

/* temp + fsync + rename (+ fsync of the dir): readers never see half a record. */
/* Every write, fsync and rename is checked: 0 when the file is in place, -1 (and no file) if not. */
int write_atomic(int dir_fd, const char *name, const char *body);
int write_file_atomic(int dir_fd, const char *name, const char *body, int durable);
/* pwrite everything or fail: -1 with errno (ENOSPC for a write that made no progress). */
int write_all_at(int fd, const char *buf, size_t len, off_t off);
/* pgid and starttime (field 22) of a pid, parsed after the last ')' of its stat. */
int read_stat(pid_t pid, long *pgid, char *start, size_t start_size);
/* The size of exit.json's placeholder; every record is padded with spaces to it. */
#define EXIT_RECORD_BYTES 256
#define EXIT_TMP ".exit.json.tmp"
/* Take exit.json's disk space at spawn, so a disk that fills later cannot cost the record. */
int reserve_exit(int dir_fd);
/* exit.json: {"exitCode","signal","exitedAt","pid"}; 0 once it is in place, -1 if it could not be. */
int write_exit(int dir_fd, pid_t pid, int status);
/* The child's environment from a NUL-separated K=V file, deleted once read; NULL on failure. */
char **load_env(int dir_fd, const char *name);
#endif
