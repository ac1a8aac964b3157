#include "checkers/linearizability/history_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "checkers/bounded_input.hpp"

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
  const Event* call = nullptr;
  const Event* completion = nullptr;  // nullptr: never completed
};

std::vector<PairedOperation> pair_events(const std::vector<Event>& events,
                                         const std::string& file) {
  std::vector<PairedOperation> ops;
  std::map<std::int64_t, std::size_t> pending;  // process -> index in ops
  for (const Event& event : events) {
    auto it = pending.find(event.process);
    if (event.type == Event::Type::invoke) {
      if (it != pending.end()) {
        throw ParseError(
            file, event.line,
            fmt::format("process {} invokes :{} before its :{} of line {} completed", event.process,
                        event.f, ops[it->second].call->f, ops[it->second].call->line));
      }
      pending.emplace(event.process, ops.size());
      ops.push_back({&event, nullptr});
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

std::string text_value(const std::string& file, const Event& event, const Value& v,
                       const char* what) {
  if (v.kind == Value::Kind::string) return v.text;
  if (v.kind == Value::Kind::integer) return std::to_string(v.integer);
  bad(file, event, what, v);
}

std::optional<std::string> optional_text(const std::string& file, const Event& event,
                                         const Value& v, const char* what) {
  if (v.is_nil()) return std::nullopt;
  return text_value(file, event, v, what);
}

const Value& pair_item(const std::string& file, const Event& event, const Value& v, std::size_t i,
                       const char* what) {
  if (v.kind != Value::Kind::vector || v.items.size() != 2) bad(file, event, what, v);
  return v.items[i];
}

template <class Spec, class Convert>
History<Spec> build(const std::vector<PairedOperation>& ops, Convert convert) {
  History<Spec> history;
  for (const PairedOperation& p : ops) {
    if (p.completion && p.completion->type == Event::Type::fail) continue;  // no effect
    OperationOf<Spec> op;
    op.client = static_cast<int>(p.call->process);
    op.call = p.call->line;
    const bool known = p.completion && p.completion->type == Event::Type::ok;
    if (known) op.ret = p.completion->line;
    convert(p, known, op);
    history.push_back(std::move(op));
  }
  return history;
}

History<RegisterSpec> register_history(const std::vector<PairedOperation>& ops,
                                       const std::string& file) {
  using R = RegisterSpec;
  return build<R>(ops, [&](const PairedOperation& p, bool known, OperationOf<R>& op) {
    const Event& call = *p.call;
    const std::string f = lower(call.f);
    if (f == "read") {
      op.input = R::read();
      if (known) op.output = R::read_ok(register_value(file, *p.completion, p.completion->value));
    } else if (f == "write") {
      op.input = R::write(register_value(file, call, call.value));
      if (known) op.output = R::write_ok();
    } else if (f == "cas") {
      const char* what = "a cas value [expected new]";
      op.input = R::cas(register_value(file, call, pair_item(file, call, call.value, 0, what)),
                        register_value(file, call, pair_item(file, call, call.value, 1, what)));
      if (known) op.output = R::cas_ok(true);
    } else {
      throw ParseError(file, call.line,
                       fmt::format("expected :read, :write or :cas, found :{}", call.f));
    }
  });
}

std::string key_of(const std::string& file, const Event& event) {
  if (!event.key) throw ParseError(file, event.line, "expected a :key");
  return text_value(file, event, *event.key, "a string key");
}

History<KvSpec> kv_history(const std::vector<PairedOperation>& ops, const std::string& file) {
  using K = KvSpec;
  return build<K>(ops, [&](const PairedOperation& p, bool known, OperationOf<K>& op) {
    const Event& call = *p.call;
    const std::string f = lower(call.f);
    op.input.key = key_of(file, call);
    if (f == "get") {
      op.input.kind = K::Kind::get;
      if (known) {
        const Value& v = p.completion->value;
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

History<VardSpec> vard_history(const std::vector<PairedOperation>& ops, const std::string& file) {
  using V = VardSpec;
  return build<V>(ops, [&](const PairedOperation& p, bool known, OperationOf<V>& op) {
    const Event& call = *p.call;
    const std::string f = lower(call.f);
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
      op.input.expected =
          optional_text(file, call, pair_item(file, call, call.value, 0, what), "a string or nil");
      op.input.value =
          text_value(file, call, pair_item(file, call, call.value, 1, what), "a string");
    } else if (f == "cad") {
      op.input.kind = V::Kind::cad;
      op.input.value = text_value(file, call, call.value, "a string value");
    } else {
      throw ParseError(file, call.line,
                       fmt::format("expected :get, :put, :del, :cas or :cad, found :{}", call.f));
    }
    if (known) {
      const Event& done = *p.completion;
      const char* what = "a response [after before] (strings or nil)";
      op.output = V::Output{
          op.input.key, optional_text(file, done, pair_item(file, done, done.value, 0, what), what),
          optional_text(file, done, pair_item(file, done, done.value, 1, what), what)};
    }
  });
}

}  // namespace

LoadedHistory load_history(std::string_view text, const std::string& file, SpecKind spec,
                           std::optional<Format> format) {
  LoadedHistory loaded;
  loaded.spec = spec;
  loaded.format = format ? *format : detect_format(text);
  const std::vector<Event> events = parse_events(text, loaded.format, file);
  const std::vector<PairedOperation> ops = pair_events(events, file);
  switch (spec) {
    case SpecKind::register_spec:
      loaded.history = register_history(ops, file);
      break;
    case SpecKind::kv:
      loaded.history = kv_history(ops, file);
      break;
    case SpecKind::vard:
      loaded.history = vard_history(ops, file);
      break;
  }
  return loaded;
}

LoadedHistory load_history_file(const std::string& path, SpecKind spec,
                                std::optional<Format> format) {
  const BoundedRead read = read_bounded_file(path);
  if (!read.text) throw ParseError(path, 0, read.error);
  return load_history(*read.text, path, spec, format);
}

Result check_loaded(const LoadedHistory& loaded, const CheckOptions& options) {
  return std::visit(
      [&](const auto& history) -> Result {
        using H = std::decay_t<decltype(history)>;
        if constexpr (std::is_same_v<H, History<RegisterSpec>>) {
          return check(RegisterSpec{}, history, options);
        } else if constexpr (std::is_same_v<H, History<KvSpec>>) {
          return check(KvSpec{}, history, options);
        } else {
          return check(VardSpec{}, history, options);
        }
      },
      loaded.history);
}

}  // namespace verdict::lincheck
