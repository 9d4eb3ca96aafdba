// Type-safe text formatting (see format.h).
#include "lib/format.h"

namespace ck {

namespace {

struct Spec {
  char align = '>';  // '<' pads on the right, '>' on the left
  bool zero_pad = false;
  bool alternate = false;  // 0x / 0b prefix
  u32 width = 0;
  char type = 0;  // 0 = natural for the argument
};

// Parses the text between ':' and '}'. Unknown characters are ignored.
Spec parse_spec(StrView text) {
  Spec spec;
  usize i = 0;
  if (i < text.size() && (text[i] == '<' || text[i] == '>')) spec.align = text[i++];
  // std::format order: '#' before '0'.
  if (i < text.size() && text[i] == '#') {
    spec.alternate = true;
    ++i;
  }
  if (i < text.size() && text[i] == '0') {
    spec.zero_pad = true;
    ++i;
  }
  while (i < text.size() && text[i] >= '0' && text[i] <= '9')
    spec.width = spec.width * 10 + static_cast<u32>(text[i++] - '0');
  if (i < text.size()) spec.type = text[i];
  return spec;
}

void pad(Sink& sink, char c, u32 count) {
  for (u32 i = 0; i < count; ++i) sink.put(c);
}

// Writes `body` (with an optional sign/prefix kept before zero padding) padded to width.
void emit(Sink& sink, const Spec& spec, StrView prefix, StrView body) {
  const usize length = prefix.size() + body.size();
  const u32 fill = spec.width > length ? static_cast<u32>(spec.width - length) : 0;
  if (spec.zero_pad) {
    sink.write(prefix);
    pad(sink, '0', fill);
    sink.write(body);
    return;
  }
  if (spec.align == '>') pad(sink, ' ', fill);
  sink.write(prefix);
  sink.write(body);
  if (spec.align == '<') pad(sink, ' ', fill);
}

// Renders `value` in `base` into the end of `digits`; returns the digits as a view.
StrView render_unsigned(u64 value, u32 base, bool upper, char (&digits)[65]) {
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  usize pos = sizeof digits;
  // 32-bit division is one instruction on the 68040; only wide values need libgcc.
  if (value <= 0xffffffffu) {
    u32 narrow = static_cast<u32>(value);
    do {
      digits[--pos] = alphabet[narrow % base];
      narrow /= base;
    } while (narrow != 0);
  } else {
    do {
      digits[--pos] = alphabet[value % base];
      value /= base;
    } while (value != 0);
  }
  return StrView(digits + pos, sizeof digits - pos);
}

void format_integer(Sink& sink, const Spec& spec, u64 magnitude, bool negative) {
  u32 base = 10;
  StrView prefix = negative ? StrView("-") : StrView();
  switch (spec.type) {
    case 'x':
    case 'X':
    case 'p':
      base = 16;
      if (spec.alternate || spec.type == 'p') prefix = "0x";
      break;
    case 'b':
      base = 2;
      if (spec.alternate) prefix = "0b";
      break;
    default:
      break;
  }
  char digits[65];
  emit(sink, spec, prefix, render_unsigned(magnitude, base, spec.type == 'X', digits));
}

void format_arg(Sink& sink, const Spec& spec, const FormatArg& arg) {
  switch (arg.kind) {
    case FormatArg::Kind::Unsigned:
      if (spec.type == 'c') {
        const char c = static_cast<char>(arg.unsigned_value);
        emit(sink, spec, StrView(), StrView(&c, 1));
        return;
      }
      format_integer(sink, spec, arg.unsigned_value, false);
      return;
    case FormatArg::Kind::Signed: {
      const bool negative = arg.signed_value < 0 && spec.type != 'x' && spec.type != 'X';
      const u64 magnitude = negative ? 0 - static_cast<u64>(arg.signed_value) : static_cast<u64>(arg.signed_value);
      format_integer(sink, spec, magnitude, negative);
      return;
    }
    case FormatArg::Kind::Bool:
      emit(sink, spec, StrView(), arg.bool_value ? "true" : "false");
      return;
    case FormatArg::Kind::Char:
      emit(sink, spec, StrView(), StrView(&arg.char_value, 1));
      return;
    case FormatArg::Kind::String:
      emit(sink, spec, StrView(), arg.string_value);
      return;
    case FormatArg::Kind::Pointer: {
      Spec pointer_spec = spec;
      pointer_spec.type = 'p';
      format_integer(sink, pointer_spec, reinterpret_cast<usize>(arg.pointer_value), false);
      return;
    }
  }
}

}  // namespace

void vformat(Sink& sink, StrView fmt, const FormatArg* args, usize count) {
  usize next_arg = 0;
  for (usize i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c == '}' && i + 1 < fmt.size() && fmt[i + 1] == '}') {
      sink.put('}');
      ++i;
      continue;
    }
    if (c != '{') {
      sink.put(c);
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      sink.put('{');
      ++i;
      continue;
    }
    const usize close = i + fmt.substr(i, fmt.size()).find('}');
    if (close >= fmt.size()) {  // unterminated: print the rest as it is
      sink.write(fmt.substr(i, fmt.size()));
      return;
    }
    const StrView inside = fmt.substr(i + 1, close - i - 1);
    const usize colon = inside.find(':');
    const StrView spec_text = colon < inside.size() ? inside.substr(colon + 1, inside.size()) : StrView();
    if (next_arg < count) {
      format_arg(sink, parse_spec(spec_text), args[next_arg++]);
    } else {
      sink.write("{?}");
    }
    i = close;
  }
}

}  // namespace ck
