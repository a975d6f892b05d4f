/* For the wildcard uprobe tests: calls each probecc_target_* function argv[1] times.
   probecc_target_trap starts with int3, an instruction uprobes refuse to probe (never called). */
#include <stdlib.h>

__asm__(".text\n"
        ".globl probecc_target_trap\n"
        ".type probecc_target_trap, @function\n"
        "probecc_target_trap:\n"
        "  int3\n"
        "  ret\n"
        ".size probecc_target_trap, .-probecc_target_trap\n");

__attribute__((noinline, used)) int probecc_target_add(int a, int b) { return a + b; }
__attribute__((noinline, used)) int probecc_target_mul(int a, int b) { return a * b; }

int main(int argc, char **argv) {
  volatile int sum = 0;
  for (int i = 0, n = argc > 1 ? atoi(argv[1]) : 1; i < n; ++i) sum = probecc_target_add(sum, probecc_target_mul(i, 2));
  return 0;
}
