// A compact binary encoding of states, for the BFS frontier (bfs.hpp): a
// World of a System holds vectors of node states, logs, packets, timers and a
// trace, i.e. dozens of small heap blocks (2-3 KB of RSS per state); the same
// state encoded is a few hundred bytes in one contiguous buffer.
//
// There is no second list of fields to keep in step. Every value type already
// names all its fields once, in the member simulator/hashing.hpp walks:
//     template <class H> void hash(H& h) const { h(field1, field2, ...); }
// StateEncoder is such an H that writes bytes; StateDecoder is one that reads
// them back into the fields. Both walk types exactly as verdict::Hasher does
// (the same cases, in the same order of precedence): integers and enums as
// varints (signed ones zigzagged), bool as one byte, strings and containers
// as a length and their elements, optionals as a flag and the value, variants
// as the index and the alternative, pairs/tuples/arrays element by element,
// and any type with a hash() member through that member.
//
// The catch: this needs a hash() that passes the fields themselves. A field
// that hash() leaves out is not encoded, and a decoded state gets it
// default-constructed (or, decoding into a reused object, stale); such a
// field would already be a bug (two states that differ only in it get one
// fingerprint and are merged by the search). And a hash() may legitimately
// pack fields into a computed word for speed (the reference models do:
// `h(ballot.word() << 40 | ...)`): a temporary cannot be decoded into. The
// decoder detects the latter on every decode (a value passed by hash() must
// lie inside the object whose hash() passes it, else CodecError); BFS only
// encodes a model's states once its initial states survive a round trip
// (round_trips() below), --check-determinism round-trips every state BFS
// stores, and checkers/tests/test_state_codec.cpp does so for every
// registered model.
//
// Bounded and safe: the decoder only ever reads what the encoder wrote in
// the same process, but it still checks every read against the end of the
// buffer and throws CodecError on an overrun, a malformed varint, a value out
// of its type's range or an impossible length; it never allocates more
// elements than there are bytes left (every encoded element takes at least
// one byte: see kEmptyElementPad).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace verdict {

class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace codec_detail {

// An element of a container that encodes to no bytes at all (an empty struct)
// is written as this one byte instead, so that a container of n elements
// always takes at least n bytes and a length can be checked against the bytes
// left before anything is allocated.
inline constexpr unsigned char kEmptyElementPad = 0;

template <class T>
inline constexpr bool is_integer_like = std::is_integral_v<T> || std::is_enum_v<T>;

template <class T>
using integer_of = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>,
                                               std::type_identity<T>>::type;

template <class T>
concept Optional = requires(const T& v) {
  v.has_value();
  *v;
};
template <class T>
concept TupleLike = requires {
  std::tuple_size<T>::value;
}
&&!requires(const T& v) {
  v.begin();
};
template <class T>
concept Variant = requires(const T& v) {
  v.index();
  std::variant_size<T>::value;
};
template <class T>
concept Range = requires(const T& v) {
  v.begin();
  v.end();
  v.size();
};
template <class T>
concept FixedSize = requires {
  std::tuple_size<T>::value;
};  // std::array
template <class T>
concept Associative = requires {
  typename T::key_type;
};

// What an element of a set or map is decoded into before it is inserted: the
// key, or the pair with a key that is not const.
template <class T>
struct ElementOf {
  using type = typename T::key_type;
};
template <class T>
requires requires {
  typename T::mapped_type;
}
struct ElementOf<T> {
  using type = std::pair<typename T::key_type, typename T::mapped_type>;
};

}  // namespace codec_detail

// Appends the encoding of values to a byte buffer. Usable wherever a hash()
// member takes an H.
class StateEncoder {
 public:
  explicit StateEncoder(std::vector<unsigned char>& out) : out_(out) {}

  template <class... Ts>
  void operator()(const Ts&... values) {
    (add(values), ...);
  }

  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<unsigned char>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<unsigned char>(v));
  }

 private:
  template <class T>
  void add(const T& value) {
    using namespace codec_detail;
    if constexpr (std::is_same_v<T, bool>) {
      out_.push_back(value ? 1 : 0);
    } else if constexpr (is_integer_like<T>) {
      using I = integer_of<T>;
      const auto v = static_cast<I>(value);
      if constexpr (std::is_signed_v<I>) {
        // Zigzag: small negative numbers stay short.
        const auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
        varint((u << 1) ^ (v < 0 ? ~std::uint64_t{0} : 0));
      } else {
        varint(static_cast<std::uint64_t>(v));
      }
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      std::string_view s = value;
      varint(s.size());
      out_.insert(out_.end(), s.begin(), s.end());
    } else if constexpr (requires { value.hash(*this); }) {
      value.hash(*this);
    } else if constexpr (Optional<T>) {
      out_.push_back(value.has_value() ? 1 : 0);
      if (value) add(*value);
    } else if constexpr (TupleLike<T>) {
      std::apply([this](const auto&... parts) { (add(parts), ...); }, value);
    } else if constexpr (Variant<T>) {
      varint(value.index());
      std::visit([this](const auto& alternative) { add(alternative); }, value);
    } else if constexpr (Range<T>) {
      if constexpr (!FixedSize<T>) varint(value.size());
      for (const auto& element : value) {
        const std::size_t before = out_.size();
        add(element);
        if (out_.size() == before) out_.push_back(kEmptyElementPad);
      }
    } else {
      static_assert(sizeof(T) == 0,
                    "verdict::StateEncoder: this type has no encoding. Add a member "
                    "`template <class H> void hash(H& h) const { h(fields...); }`");
    }
  }

  std::vector<unsigned char>& out_;
};

// Reads values back from bytes StateEncoder wrote, in the same order.
//
// A hash() member is const and hands its fields over as const references, so
// operator() receives `const T&` and writes through const_cast. That is
// well-defined ([dcl.type.cv]: only modifying an object *defined* const is
// undefined) because the decoder is only ever applied to an object its caller
// owns and created non-const, and whose fields are not declared const; the
// constness is only that of the access path through hash(). (A const data
// member, or a hash() that passes a temporary such as h(size()) instead of a
// field, cannot be decoded: the round-trip tests catch the latter.) The one
// const subobject a container hands out, a map's key, is never written in
// place: map and set elements are decoded into a temporary and inserted.
class StateDecoder {
 public:
  StateDecoder(const unsigned char* begin, const unsigned char* end) : at_(begin), end_(end) {}

  template <class... Ts>
  void operator()(const Ts&... fields) {
    (read(const_cast<Ts&>(inside_owner(fields))), ...);
  }

  bool done() const { return at_ == end_; }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - at_); }

  // Decodes a whole value that is not a field of the object being walked: a
  // type-erased state's held value (checkers/dyn_model.hpp), which its
  // hash() reaches through a pointer.
  template <class T>
  void read_held(T& value) {
    const std::uintptr_t begin = owner_begin_, end = owner_end_;
    owner_begin_ = owner_end_ = 0;
    read(value);
    owner_begin_ = begin;
    owner_end_ = end;
  }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      const unsigned char byte = next_byte();
      if (shift == 63 && byte > 1) throw CodecError("state codec: varint overflows 64 bits");
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
  }

 private:
  // A value hash() passes must be a subobject of the object whose hash() is
  // walked, not a temporary it computed: writing into that would be lost.
  template <class T>
  const T& inside_owner(const T& field) const {
    const auto at = reinterpret_cast<std::uintptr_t>(&field);
    if (owner_end_ != 0 && (at < owner_begin_ || at + sizeof(T) > owner_end_))
      throw CodecError(
          "state codec: a hash() member passes a computed value, not a field; its type "
          "cannot be decoded");
    return field;
  }

  // Walks value's fields through its hash() member, with value as the owner.
  template <class T>
  void read_fields(T& value) {
    const std::uintptr_t begin = owner_begin_, end = owner_end_;
    owner_begin_ = reinterpret_cast<std::uintptr_t>(&value);
    owner_end_ = owner_begin_ + sizeof(T);
    value.hash(*this);
    owner_begin_ = begin;
    owner_end_ = end;
  }

  unsigned char next_byte() {
    if (at_ == end_) throw CodecError("state codec: read past the end of the encoded state");
    return *at_++;
  }

  // A length that must fit in the bytes left, `per_element` bytes at least each.
  std::size_t length(std::size_t per_element = 1) {
    const std::uint64_t n = varint();
    if (n > remaining() / per_element)
      throw CodecError("state codec: a length exceeds the bytes left");
    return static_cast<std::size_t>(n);
  }

  template <class T>
  void read_element(T& element) {
    const unsigned char* before = at_;
    read(element);
    if (at_ == before && next_byte() != codec_detail::kEmptyElementPad)
      throw CodecError("state codec: bad padding of an empty element");
  }

  template <class T>
  void read(T& value) {
    using namespace codec_detail;
    if constexpr (std::is_same_v<T, bool>) {
      const unsigned char b = next_byte();
      if (b > 1) throw CodecError("state codec: a bool is neither 0 nor 1");
      value = b == 1;
    } else if constexpr (is_integer_like<T>) {
      using I = integer_of<T>;
      const std::uint64_t u = varint();
      I v;
      if constexpr (std::is_signed_v<I>) {
        const auto s = static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
        if (s < std::numeric_limits<I>::min() || s > std::numeric_limits<I>::max())
          throw CodecError("state codec: an integer out of its type's range");
        v = static_cast<I>(s);
      } else {
        if (u > std::numeric_limits<I>::max())
          throw CodecError("state codec: an integer out of its type's range");
        v = static_cast<I>(u);
      }
      value = static_cast<T>(v);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      static_assert(std::is_same_v<T, std::string>,
                    "verdict::StateDecoder: only std::string fields decode as strings");
      const std::size_t n = length();
      value.assign(reinterpret_cast<const char*>(at_), n);
      at_ += n;
    } else if constexpr (requires { value.hash(*this); }) {
      read_fields(value);
    } else if constexpr (Optional<T>) {
      const unsigned char flag = next_byte();
      if (flag > 1) throw CodecError("state codec: an optional's flag is neither 0 nor 1");
      if (flag == 0) {
        value.reset();
      } else {
        if (!value) value.emplace();
        read(*value);
      }
    } else if constexpr (TupleLike<T>) {
      std::apply([this](auto&... parts) { (read(parts), ...); }, value);
    } else if constexpr (Variant<T>) {
      const std::uint64_t index = varint();
      if (index >= std::variant_size_v<T>)
        throw CodecError("state codec: a variant index out of range");
      read_variant(value, static_cast<std::size_t>(index),
                   std::make_index_sequence<std::variant_size_v<T>>());
    } else if constexpr (Range<T> && FixedSize<T>) {
      for (auto& element : value) read_element(element);
    } else if constexpr (Range<T> && Associative<T>) {
      const std::size_t n = length();
      value.clear();
      using Element = typename ElementOf<T>::type;
      for (std::size_t i = 0; i < n; ++i) {
        Element element{};
        read_element(element);
        // The encoder wrote the elements in the container's order.
        value.insert(value.end(), std::move(element));
      }
    } else if constexpr (Range<T> && std::is_same_v<T, std::vector<bool>>) {
      const std::size_t n = length();
      value.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        bool b = false;
        read(b);
        value[i] = b;
      }
    } else if constexpr (Range<T> && requires(T & v, std::size_t n) { v.resize(n); }) {
      const std::size_t n = length();
      // Elements already there are decoded in place: decoding into a reused
      // state keeps the capacity of its vectors and strings.
      value.resize(n);
      for (auto& element : value) read_element(element);
    } else {
      static_assert(sizeof(T) == 0, "verdict::StateDecoder: this type cannot be decoded");
    }
  }

  template <class V, std::size_t... I>
  void read_variant(V& value, std::size_t index, std::index_sequence<I...>) {
    ((index == I ? read_alternative<I>(value) : void()), ...);
  }
  template <std::size_t I, class V>
  void read_alternative(V& value) {
    if (value.index() != I) value.template emplace<I>();
    read(std::get<I>(value));
  }

  const unsigned char* at_;
  const unsigned char* end_;
  // The object whose hash() is being walked (end 0: none, the top level).
  std::uintptr_t owner_begin_ = 0, owner_end_ = 0;
};

// A type the codec can walk through its hash() member and decode into a
// default-constructed value. (The walk of the fields themselves is checked
// when the codec is instantiated: a field of a type it cannot handle is a
// compile error, not a silent fallback.)
template <class T>
concept EncodableState = std::default_initializable<T> && std::equality_comparable<T> &&
    requires(const T& s, StateEncoder& e, StateDecoder& d) {
  s.hash(e);
  s.hash(d);
};

template <EncodableState T>
void encode_state(const T& s, std::vector<unsigned char>& out) {
  StateEncoder encoder(out);
  encoder(s);
}

// Decodes a whole state from [begin, end) into `into` (whose allocations are
// reused); throws CodecError unless exactly those bytes are consumed.
template <EncodableState T>
void decode_state(const unsigned char* begin, const unsigned char* end, T& into) {
  StateDecoder decoder(begin, end);
  decoder(into);
  if (!decoder.done()) throw CodecError("state codec: bytes left over after a state");
}

template <EncodableState T>
T decode_state(const unsigned char* begin, const unsigned char* end) {
  T s{};
  decode_state(begin, end, s);
  return s;
}

// A fresh object to decode a state like `s` into: T{}, or s.blank() for a
// type that must know what it holds before it is decoded into (DynState).
template <class T>
T blank_like(const T& s) {
  if constexpr (requires { s.blank(); })
    return s.blank();
  else
    return T{};
}

// Whether s comes back equal (operator==, over all fields) from its encoding,
// decoded into a fresh object: false when its hash() passes computed values
// or leaves out a field that s does not have at its default.
template <EncodableState T>
bool round_trips(const T& s) {
  std::vector<unsigned char> bytes;
  encode_state(s, bytes);
  try {
    T decoded = blank_like(s);
    decode_state(bytes.data(), bytes.data() + bytes.size(), decoded);
    return decoded == s;
  } catch (const CodecError&) {
    return false;
  }
}

}  // namespace verdict
