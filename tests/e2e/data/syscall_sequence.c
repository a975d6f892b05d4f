/* For the attach-mechanism tests: a fixed sequence of syscalls with known arguments. */
#include <fcntl.h>
#include <unistd.h>

int main(void) {
  char path[] = "/dev/null";  /* on the stack: paged in when the probe reads it */
  int fd = dup2(open(path, O_RDWR), 100);  /* a known number, whatever the caller left open */
  lseek(fd, 12345, SEEK_SET);
  (void)!write(fd, "probecc", 7);
  char buffer[8];
  (void)!read(fd, buffer, sizeof buffer);
  close(fd);
  return 0;
}
