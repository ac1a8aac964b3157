#include "checkers/linearizability/history_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checkers/bounded_input.hpp"
#include "checkers/prefault.hpp"

namespace verdict::lincheck {

const char* to_string(SpecKind spec) {
  switch (spec) {
    case SpecKind::register_spec:
      return "register";
    case SpecKind::kv:
      return "kv";
    case SpecKind::vard:
      return "vard";
  }
  return "?";
}

std::optional<SpecKind> spec_from_string(std::string_view name) {
  if (name == "register") return SpecKind::register_spec;
  if (name == "kv") return SpecKind::kv;
  if (name == "vard") return SpecKind::vard;
  return std::nullopt;
}

std::size_t LoadedHistory::size() const {
  return std::visit([](const auto& h) { return h.size(); }, history);
}

namespace {

// An invocation and what became of it.
struct PairedOperation {
  Event* call = nullptr;
  Event* completion = nullptr;      // nullptr: never completed
  std::uint64_t call_position = 0;  // event numbers, 1-based
  std::uint64_t completion_position = 0;
};

// The events are not changed here, but History building moves their texts out.
std::vector<PairedOperation> pair_events(std::vector<Event>& events, const std::string& file) {
  std::vector<PairedOperation> ops;
  ops.reserve(events.size() / 2 + 1);  // an invocation and its completion, mostly
  std::unordered_map<std::int64_t, std::size_t> pending;  // process -> index in ops
  std::uint64_t position = 0;
  for (Event& event : events) {
    ++position;
    auto it = pending.find(event.process);
    if (event.type == Event::Type::invoke) {
      if (it != pending.end()) {
        throw ParseError(
            file, event.line,
            fmt::format("process {} invokes :{} before its :{} of line {} completed", event.process,
                        event.f, ops[it->second].call->f, ops[it->second].call->line));
      }
      pending.emplace(event.process, ops.size());
      ops.push_back({&event, nullptr, position, 0});
      continue;
    }
    if (it == pending.end()) {
      throw ParseError(
          file, event.line,
          fmt::format("expected an :invoke by process {} before this completion", event.process));
    }
    PairedOperation& op = ops[it->second];
    if (op.call->f != event.f) {
      throw ParseError(file, event.line,
                       fmt::format("expected the completion of :{} (line {}), found :{}",
                                   op.call->f, op.call->line, event.f));
    }
    op.completion = &event;
    op.completion_position = position;
    pending.erase(it);
  }
  return ops;
}

[[noreturn]] void bad(const std::string& file, const Event& event, const std::string& expected,
                      const Value& found) {
  throw ParseError(file, event.line,
                   fmt::format("expected {}, found {}", expected, found.to_edn()));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

RegisterSpec::Value register_value(const std::string& file, const Event& event, const Value& v) {
  if (v.is_nil()) return RegisterSpec::kNil;
  if (v.kind != Value::Kind::integer || v.integer == RegisterSpec::kNil) {
    bad(file, event, "an integer or nil", v);
  }
  return v.integer;
}

// Moves the text out of `v`: each event's value is read once.
std::string text_value(const std::string& file, const Event& event, Value& v, const char* what) {
  if (v.kind == Value::Kind::string) return std::move(v.text);
  if (v.kind == Value::Kind::integer) return std::to_string(v.integer);
  bad(file, event, what, v);
}

std::optional<std::string> optional_text(const std::string& file, const Event& event, Value& v,
                                         const char* what) {
  if (v.is_nil()) return std::nullopt;
  return text_value(file, event, v, what);
}

Value& pair_item(const std::string& file, const Event& event, Value& v, std::size_t i,
                 const char* what) {
  if (!v.is_sequence() || v.items.size() != 2) bad(file, event, what, v);
  return v.items[i];
}

// What became of an operation, under a reading.
enum class Completion {
  ok,       // known: its completion carries its result
  failed,   // Porcupine's reading of a failure: an observation where the model has one
  unknown,  // :info, never completed, or failed where the model cannot say more
};

template <class Spec, class Convert>
History<Spec> build(const std::vector<PairedOperation>& ops, Reading reading,
                    const std::string& file, Convert convert) {
  History<Spec> history;
  history.reserve(ops.size());
  prefault_for_writing(history.data(), history.capacity() * sizeof(OperationOf<Spec>));
  for (const PairedOperation& p : ops) {
    Completion completion = Completion::unknown;
    if (p.completion && p.completion->type == Event::Type::ok) completion = Completion::ok;
    if (p.completion && p.completion->type == Event::Type::fail) {
      if (reading == Reading::knossos) continue;  // it did not take effect
      completion = Completion::failed;
    }
    if (p.call->process < std::numeric_limits<int>::min() ||
        p.call->process > std::numeric_limits<int>::max()) {
      throw ParseError(
          file, p.call->line,
          fmt::format("expected a process number that fits in 32 bits, found {}", p.call->process));
    }
    OperationOf<Spec> op;
    op.client = static_cast<int>(p.call->process);
    op.call = p.call_position;
    op.ret = p.completion_position;  // ignored while the output is unknown
    convert(p, lower(p.call->f), completion, op);
    history.push_back(std::move(op));
  }
  return history;
}

History<RegisterSpec> register_history(const std::vector<PairedOperation>& ops, Reading reading,
                                       const std::string& file) {
  using R = RegisterSpec;
  return build<R>(
      ops, reading, file,
      [&](const PairedOperation& p, const std::string& f, Completion completion,
          OperationOf<R>& op) {
        Event& call = *p.call;
        const bool known = completion == Completion::ok;
        if (f == "read") {
          op.input = R::read();
          if (known)
            op.output = R::read_ok(register_value(file, *p.completion, p.completion->value));
        } else if (f == "write") {
          op.input = R::write(register_value(file, call, call.value));
          if (known) op.output = R::write_ok();
        } else if (f == "cas") {
          const char* what = "a cas value [expected new]";
          op.input = R::cas(register_value(file, call, pair_item(file, call, call.value, 0, what)),
                            register_value(file, call, pair_item(file, call, call.value, 1, what)));
          // Failed: the register held something other than the expected value.
          if (completion != Completion::unknown) op.output = R::cas_ok(known);
        } else {
          throw ParseError(file, call.line,
                           fmt::format("expected :read, :write or :cas, found :{}", call.f));
        }
      });
}

std::string key_of(const std::string& file, Event& event) {
  if (!event.key) throw ParseError(file, event.line, "expected a :key");
  return text_value(file, event, *event.key, "a string key");
}

History<KvSpec> kv_history(const std::vector<PairedOperation>& ops, Reading reading,
                           const std::string& file) {
  using K = KvSpec;
  return build<K>(
      ops, reading, file,
      [&](const PairedOperation& p, const std::string& f, Completion completion,
          OperationOf<K>& op) {
        Event& call = *p.call;
        const bool known = completion == Completion::ok;  // a failure tells nothing more here
        op.input.key = key_of(file, call);
        if (f == "get") {
          op.input.kind = K::Kind::get;
          if (known) {
            Value& v = p.completion->value;
            op.output = K::Output{
                K::Kind::get,
                v.is_nil() ? std::string() : text_value(file, *p.completion, v, "a string value")};
          }
        } else if (f == "put" || f == "append") {
          op.input.kind = f == "put" ? K::Kind::put : K::Kind::append;
          op.input.value = text_value(file, call, call.value, "a string value");
          if (known) op.output = K::Output{op.input.kind, {}};
        } else {
          throw ParseError(file, call.line,
                           fmt::format("expected :get, :put or :append, found :{}", call.f));
        }
      });
}

History<VardSpec> vard_history(const std::vector<PairedOperation>& ops, Reading reading,
                               const std::string& file) {
  using V = VardSpec;
  return build<V>(
      ops, reading, file,
      [&](const PairedOperation& p, const std::string& f, Completion completion,
          OperationOf<V>& op) {
        Event& call = *p.call;
        const bool known = completion == Completion::ok;  // a failure tells nothing more here
        op.input.key = key_of(file, call);
        if (f == "get") {
          op.input.kind = V::Kind::get;
        } else if (f == "put") {
          op.input.kind = V::Kind::put;
          op.input.value = text_value(file, call, call.value, "a string value");
        } else if (f == "del") {
          op.input.kind = V::Kind::del;
        } else if (f == "cas") {
          const char* what = "a CAS value [expected-or-nil new]";
          op.input.kind = V::Kind::cas;
          op.input.expected = optional_text(file, call, pair_item(file, call, call.value, 0, what),
                                            "a string or nil");
          op.input.value =
              text_value(file, call, pair_item(file, call, call.value, 1, what), "a string");
        } else if (f == "cad") {
          op.input.kind = V::Kind::cad;
          op.input.value = text_value(file, call, call.value, "a string value");
        } else {
          throw ParseError(
              file, call.line,
              fmt::format("expected :get, :put, :del, :cas or :cad, found :{}", call.f));
        }
        if (known) {
          Event& done = *p.completion;
          const char* what = "a response [after before] (strings or nil)";
          op.output = V::Output{
              op.input.key,
              optional_text(file, done, pair_item(file, done, done.value, 0, what), what),
              optional_text(file, done, pair_item(file, done, done.value, 1, what), what)};
        }
      });
}

}  // namespace

LoadedHistory load_history(std::string_view text, const std::string& file, SpecKind spec,
                           const LoadOptions& options) {
  LoadedHistory loaded;
  loaded.spec = spec;
  loaded.format = options.format ? *options.format : detect_format(text);
  EventLog log = parse_events(text, loaded.format, file);
  loaded.reading = options.reading ? *options.reading : log.reading;
  loaded.initial = options.initial;
  const std::vector<PairedOperation> ops = pair_events(log.events, file);
  loaded.event_lines.reserve(log.events.size());
  for (const Event& event : log.events) loaded.event_lines.push_back(event.line);
  switch (spec) {
    case SpecKind::register_spec:
      loaded.history = register_history(ops, loaded.reading, file);
      break;
    case SpecKind::kv:
      loaded.history = kv_history(ops, loaded.reading, file);
      break;
    case SpecKind::vard:
      loaded.history = vard_history(ops, loaded.reading, file);
      break;
  }
  return loaded;
}

namespace {

// Jepsen's store layout: a test's directory holds its history.edn.
std::string history_path(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    return (std::filesystem::path(path) / "history.edn").string();
  return path;
}

std::string read_text(const std::string& path, std::size_t max_bytes = kMaxInputFileBytes) {
  BoundedRead read = read_bounded_file(path, max_bytes);
  if (!read.text) throw ParseError(path, 0, read.error);
  return std::move(*read.text);
}

}  // namespace

LoadedHistory load_history_file(const std::string& path, SpecKind spec,
                                const LoadOptions& options) {
  const std::string file = history_path(path);
  return load_history(read_text(file), file, spec, options);
}

std::optional<RegisterSpec::Value> register_value_from_string(std::string_view text) {
  if (text == "nil") return RegisterSpec::kNil;
  RegisterSpec::Value v = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc() || end != text.data() + text.size() || v == RegisterSpec::kNil)
    return std::nullopt;
  return v;
}

StringMap read_initial_map(const std::string& path) {
  const std::string text = read_text(path, kMaxTraceFileBytes);
  if (auto deep = json_too_deep(text))
    throw ParseError(path, 1, fmt::format("nested deeper than {} levels; refused", kMaxJsonDepth));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ParseError(path, 1, fmt::format("expected valid JSON ({})", e.what()));
  }
  if (!doc.is_object())
    throw ParseError(path, 1, "expected an object of keys and their initial values");
  StringMap map;
  for (const auto& [key, value] : doc.items()) {
    if (value.is_string()) {
      map.set(key, value.get<std::string>());
    } else if (value.is_number_integer()) {
      map.set(key, value.dump());  // as a history's integer value is read
    } else {
      throw ParseError(
          path, 1,
          fmt::format("key \"{}\": expected a string or an integer, found {}", key,
                      value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    }
  }
  return map;
}

namespace {

// Event numbers back to the lines they are on.
void show_lines(const LoadedHistory& loaded, Counterexample& c) {
  auto line = [&](std::uint64_t position) -> std::uint64_t {
    return position >= 1 && position <= loaded.event_lines.size() ? loaded.event_lines[position - 1]
                                                                  : position;
  };
  auto relabel = [&](OperationView& view) {
    view.call = line(view.call);
    if (view.ret) view.ret = line(*view.ret);
  };
  for (OperationView& view : c.prefix) relabel(view);
  for (StuckOperation& stuck : c.stuck) relabel(stuck.operation);
}

}  // namespace

Result check_loaded(const LoadedHistory& loaded, const CheckOptions& options) {
  Result result = std::visit(
      [&](const auto& history) -> Result {
        using H = std::decay_t<decltype(history)>;
        if constexpr (std::is_same_v<H, History<RegisterSpec>>) {
          return check(RegisterSpec{loaded.initial.register_value}, history, options);
        } else if constexpr (std::is_same_v<H, History<KvSpec>>) {
          return check(KvSpec{{loaded.initial.map}}, history, options);
        } else {
          return check(VardSpec{{loaded.initial.map}}, history, options);
        }
      },
      loaded.history);
  if (result.counterexample) show_lines(loaded, *result.counterexample);
  return result;
}

}  // namespace verdict::lincheck
