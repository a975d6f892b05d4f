#ifndef TEST_HIST_H
#define TEST_HIST_H
#define MAX_SLOTS 27
#define TASK_COMM_SIZE 16
struct hist {
	__u32 slots[MAX_SLOTS];
	char comm[TASK_COMM_SIZE];
};
#endif
