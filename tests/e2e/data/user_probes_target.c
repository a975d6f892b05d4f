/* The process the USDT and -p tests probe: N rounds (argv[1]), 0.1 s apart, each calling
   probecc_work(i) and firing USDT probes probecc_test:tick(i, "hello") and, only while a tracer
   has set its semaphore, probecc_test:gated(i * 10). */
#define _SDT_HAS_SEMAPHORES 1
#include <stdlib.h>
#include <sys/sdt.h>
#include <unistd.h>

__extension__ unsigned short probecc_test_tick_semaphore __attribute__((unused, section(".probes")));
__extension__ unsigned short probecc_test_gated_semaphore __attribute__((unused, section(".probes")));

__attribute__((noinline)) int probecc_work(int round) {
  __asm__ volatile("" ::: "memory");
  return round + 1;
}

int main(int argc, char **argv) {
  const int rounds = argc > 1 ? atoi(argv[1]) : 30;
  for (int i = 1; i <= rounds; ++i) {
    char message[] = "hello"; /* on the stack: a page the probe can read without faulting */
    probecc_work(i);
    DTRACE_PROBE2(probecc_test, tick, i, message);
    if (probecc_test_gated_semaphore) DTRACE_PROBE1(probecc_test, gated, i * 10);
    usleep(100000);
  }
  return 0;
}
