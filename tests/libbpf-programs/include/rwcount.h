#ifndef TEST_RWCOUNT_H
#define TEST_RWCOUNT_H
/* the program's own names for the two directions */
enum op {
	READ,
	WRITE,
};
struct rw_key {
	__u32 pid;
	enum op op;
};
#endif
