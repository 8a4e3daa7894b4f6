/* poll(): regular files are always ready; stdin (a file here) is readable;
 * timeouts with nothing ready.
 * STDIN: stdin_text.input
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int fd = open("polled.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(fd, "some data\n", 10);
  lseek(fd, 0, SEEK_SET);
  struct pollfd fds[3] = {{fd, POLLIN, 0}, {fd, POLLOUT, 0}, {0, POLLIN, 0}};
  int n = poll(fds, 3, 1000);
  printf("poll returned %d\n", n);
  for (int i = 0; i < 3; ++i)
    printf("  fd %d events %s%s\n", i, (fds[i].revents & POLLIN) ? "IN " : "", (fds[i].revents & POLLOUT) ? "OUT" : "");
  char buf[64];
  ssize_t got = read(0, buf, sizeof buf);
  printf("stdin read %zd bytes after poll\n", got);
  close(fd);
  unlink("polled.txt");
  return 0;
}
