// tests/wasi/p2: what the WASI 0.2 gtests share: reading a fixture file, and a loopback listening socket on
// an ephemeral port for the servers the socket and HTTP tests start.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace airwasm::testing {

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// A socket of `type` (SOCK_STREAM, SOCK_DGRAM) bound to 127.0.0.1 at a port the kernel picks; `port` gets
// it. Failures fail the test.
inline int bind_loopback(int type, uint16_t& port) {
  const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// A TCP socket listening on 127.0.0.1 (bind_loopback).
inline int listen_on_loopback(uint16_t& port) {
  const int fd = bind_loopback(SOCK_STREAM, port);
  EXPECT_EQ(::listen(fd, 8), 0);
  return fd;
}

}  // namespace airwasm::testing
