// SPDX-License-Identifier: GPL-2.0
/*
 * runas: change credentials, then run a command or just wait.
 *
 *   runas [-r RUID] [-e EUID] [-g GID] [-G GID,GID...|-G ""] [-C] CMD [ARGS...]
 *   runas [...] -P
 *
 * -r/-e set the real/effective (and saved = effective) user ID with
 * setresuid(); -g sets all group IDs; -G sets the supplementary groups
 * (empty: none).  -C removes CAP_SYS_ADMIN from the bounding, permitted,
 * effective and inheritable sets while staying root, so that the
 * capability, not the UID, can be tested.  -P waits in pause() instead of
 * running a command (a process with the chosen IDs to be monitored).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	unsigned int bit = CAP_TO_MASK(CAP_SYS_ADMIN);
	int idx = CAP_TO_INDEX(CAP_SYS_ADMIN);

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0)) {
		perror("runas: PR_CAPBSET_DROP");
		return -1;
	}
	if (syscall(SYS_capget, &hdr, data)) {
		perror("runas: capget");
		return -1;
	}
	data[idx].effective &= ~bit;
	data[idx].permitted &= ~bit;
	data[idx].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data)) {
		perror("runas: capset");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long ruid = -1, euid = -1, gid = -1;
	const char *groups = NULL;
	int opt, dropcap = 0, wait = 0;

	while ((opt = getopt(argc, argv, "+r:e:g:G:CP")) != -1) {
		switch (opt) {
		case 'r':
			ruid = strtol(optarg, NULL, 10);
			break;
		case 'e':
			euid = strtol(optarg, NULL, 10);
			break;
		case 'g':
			gid = strtol(optarg, NULL, 10);
			break;
		case 'G':
			groups = optarg;
			break;
		case 'C':
			dropcap = 1;
			break;
		case 'P':
			wait = 1;
			break;
		default:
			fprintf(stderr, "runas: bad option\n");
			return 2;
		}
	}
	if (!wait && optind >= argc) {
		fprintf(stderr, "runas: no command\n");
		return 2;
	}
	if (groups) {
		gid_t list[64];
		size_t n = 0;
		char *copy = strdup(groups), *tok, *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok && n < 64;
		     tok = strtok_r(NULL, ",", &save))
			list[n++] = (gid_t)strtol(tok, NULL, 10);
		if (setgroups(n, list)) {
			perror("runas: setgroups");
			return 1;
		}
		free(copy);
	}
	if (gid >= 0 && setresgid(gid, gid, gid)) {
		perror("runas: setresgid");
		return 1;
	}
	if (dropcap && drop_sys_admin())
		return 1;
	if (ruid >= 0 || euid >= 0) {
		uid_t r = ruid >= 0 ? (uid_t)ruid : getuid();
		uid_t e = euid >= 0 ? (uid_t)euid : r;

		if (setresuid(r, e, e)) {
			perror("runas: setresuid");
			return 1;
		}
	}
	if (wait) {
		for (;;)
			pause();
	}
	execvp(argv[optind], argv + optind);
	perror("runas: exec");
	return 127;
}
