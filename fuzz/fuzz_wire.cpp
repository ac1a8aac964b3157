// The wire decoder (net/wire.hpp) on hostile bytes: the input is a TCP byte
// stream split into frames, and also a frame body of its own. Every frame
// that decodes must encode back to a body that decodes to the same frame.
#include "fuzz/fuzz_target.hpp"
#include "net/wire.hpp"

using namespace verdict::net;

namespace {

void decode_and_round_trip(std::string_view body) {
  Frame frame;
  try {
    frame = decode_body(body);
  } catch (const DecodeError&) {
    return;  // refused: what a malformed frame must get
  }
  const std::string again = encode_frame(frame);
  if (again.size() < 4) verdict::fuzz::broken("an encoded frame without its length");
  if (!(decode_body(std::string_view(again).substr(4)) == frame))
    verdict::fuzz::broken("a decoded frame encodes to another frame");
}

}  // namespace

VERDICT_FUZZ_TARGET {
  const auto in = verdict::fuzz::as_text(data, size);
  decode_and_round_trip(in);
  FrameBuffer stream(1u << 20);
  stream.append(in.data(), in.size());
  try {
    while (auto body = stream.next()) decode_and_round_trip(*body);
  } catch (const DecodeError&) {
    // a length over the limit closes the connection
  }
  return 0;
}
