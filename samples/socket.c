/* SPDX-License-Identifier: MIT */
/*
 * socket: a socketpair(AF_UNIX) ping-pong, then a TCP connection to itself
 * over 127.0.0.1 (bind to port 0, listen, connect, accept, send, recv).
 * With "inet6" as argv[1] it also opens an AF_INET6 socket: a domain the
 * default run never used.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int tcp_self(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int l, c, s;
	char buf[8] = "";

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	s = accept(l, NULL, NULL);
	if (s < 0 || send(c, "tcp", 4, 0) != 4 || recv(s, buf, sizeof(buf), 0) != 4)
		return -1;
	close(s);
	close(c);
	close(l);
	return strcmp(buf, "tcp") ? -1 : 0;
}

int main(int argc, char **argv)
{
	char buf[8] = "";
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
	    write(sv[0], "unix", 5) != 5 || read(sv[1], buf, sizeof(buf)) != 5) {
		perror("socketpair");
		return 1;
	}
	printf("unix: %s\n", buf);
	if (tcp_self()) {
		perror("tcp");
		return 1;
	}
	printf("tcp: ok\n");
	if (argc > 1 && !strcmp(argv[1], "inet6")) {
		int s;

		fflush(stdout);
		s = socket(AF_INET6, SOCK_DGRAM, 0);
		printf("inet6: %s\n", s >= 0 ? "opened" : "refused");
		if (s >= 0)
			close(s);
	}
	return 0;
}
