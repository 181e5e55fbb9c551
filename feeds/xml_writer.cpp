#include "feeds/xml_writer.hpp"

#include <array>
#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace podcastd::feeds::xml {
namespace {

// Every output byte goes through one 256-entry table: the common case (ASCII that needs no
// escaping) is a table lookup per byte and one append per run, which keeps feed rendering
// well above 1 GB/s of text.
enum class Kind : std::uint8_t {
  copy,    // ASCII that passes through unchanged
  escape,  // needs an entity (or, in CDATA, a look at what follows)
  drop,    // a byte that can never start a character XML 1.0 allows
  utf8,    // lead byte of a multi-byte sequence: validated before it is copied
};

enum class Mode { text, attribute, cdata, plain };

constexpr std::array<Kind, 256> make_table(Mode mode) {
  std::array<Kind, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20) {
      t[c] = (c == '\t' || c == '\n' || c == '\r') ? Kind::copy : Kind::drop;
    } else if (c < 0x80) {
      t[c] = Kind::copy;
    } else if (c >= 0xC2 && c <= 0xF4) {
      t[c] = Kind::utf8;
    } else {
      t[c] = Kind::drop;  // stray continuation bytes, C0/C1 overlong leads, F5..FF
    }
  }
  switch (mode) {
    case Mode::attribute:
      t['"'] = t['\''] = t['\t'] = t['\n'] = t['\r'] = Kind::escape;
      [[fallthrough]];
    case Mode::text:
      t['&'] = t['<'] = t['>'] = Kind::escape;
      break;
    case Mode::cdata:
      t[']'] = Kind::escape;
      break;
    case Mode::plain:
      break;
  }
  return t;
}

constexpr std::array<Kind, 256> kTextTable = make_table(Mode::text);
constexpr std::array<Kind, 256> kAttributeTable = make_table(Mode::attribute);
constexpr std::array<Kind, 256> kCdataTable = make_table(Mode::cdata);
constexpr std::array<Kind, 256> kPlainTable = make_table(Mode::plain);

inline bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// Length of the well-formed UTF-8 sequence at p (Unicode 15, table 3-7) when it encodes a
// character XML 1.0 allows; 0 otherwise. Surrogates and overlongs are malformed already;
// U+FFFE and U+FFFF are well-formed but not XML characters.
std::size_t xml_char_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  const std::size_t avail = static_cast<std::size_t>(end - p);
  if (c <= 0xDF) {  // C2..DF
    return avail >= 2 && in(p[1], 0x80, 0xBF) ? 2 : 0;
  }
  if (c <= 0xEF) {
    if (avail < 3) {
      return 0;
    }
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    if (!in(p[1], lo, hi) || !in(p[2], 0x80, 0xBF)) {
      return 0;
    }
    if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
      return 0;  // U+FFFE, U+FFFF
    }
    return 3;
  }
  if (avail < 4) {
    return 0;
  }
  const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
  const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
  if (!in(p[1], lo, hi) || !in(p[2], 0x80, 0xBF) || !in(p[3], 0x80, 0xBF)) {
    return 0;
  }
  return 4;
}

#ifdef __SSE2__
// Bit i set when byte i of the 16 at p may need attention in mode M: a control character or
// a non-ASCII byte (one signed compare catches both) or one of the mode's specials. Clear
// blocks are copied without looking at single bytes.
template <Mode M>
inline unsigned special_mask(const unsigned char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i hit = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  auto add = [&](char c) { hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(c))); };
  if constexpr (M == Mode::text || M == Mode::attribute) {
    add('&');
    add('<');
    add('>');
  }
  if constexpr (M == Mode::attribute) {
    add('"');
    add('\'');
  }
  if constexpr (M == Mode::cdata) {
    add(']');
  }
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

template <Mode M>
void append_escaped(std::string& out, std::string_view s) {
  static constexpr const std::array<Kind, 256>& table = M == Mode::text        ? kTextTable
                                                        : M == Mode::attribute ? kAttributeTable
                                                        : M == Mode::cdata     ? kCdataTable
                                                                               : kPlainTable;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  const auto* run = p;
  auto flush = [&](const unsigned char* upto) {
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(upto - run));
  };
  while (p < end) {
#ifdef __SSE2__
    if (end - p >= 16) {
      const unsigned mask = special_mask<M>(p);
      if (mask == 0) {
        p += 16;
        continue;
      }
      p += __builtin_ctz(mask);  // the bytes before it need nothing
    }
#endif
    const Kind kind = table[*p];
    if (kind == Kind::copy) {
      ++p;
      continue;
    }
    if (kind == Kind::utf8) {
      if (std::size_t n = xml_char_length(p, end); n != 0) {
        p += n;
        continue;
      }
      flush(p);
      run = ++p;  // drop one byte and resynchronise on the next
      continue;
    }
    if (kind == Kind::drop) {
      flush(p);
      run = ++p;
      continue;
    }
    // Kind::escape
    if constexpr (M == Mode::cdata) {
      // "]]>" would end the section: close it after "]]" and reopen before ">".
      if (end - p >= 3 && p[1] == ']' && p[2] == '>') {
        flush(p + 2);
        out += "]]><![CDATA[";
        run = p + 2;
        p += 3;
      } else {
        ++p;
      }
      continue;
    } else {
      flush(p);
      switch (*p) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\t':
          out += "&#9;";
          break;
        case '\n':
          out += "&#10;";
          break;
        case '\r':
          out += "&#13;";
          break;
        default:
          break;
      }
      run = ++p;
    }
  }
  flush(p);
}

}  // namespace

void append_text(std::string& out, std::string_view s) { append_escaped<Mode::text>(out, s); }

void append_attribute(std::string& out, std::string_view s) {
  append_escaped<Mode::attribute>(out, s);
}

void append_cdata(std::string& out, std::string_view s) {
  out += "<![CDATA[";
  append_escaped<Mode::cdata>(out, s);
  out += "]]>";
}

std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_escaped<Mode::plain>(out, s);
  return out;
}

void append_sanitized(std::string& out, std::string_view s) { append_escaped<Mode::plain>(out, s); }

}  // namespace podcastd::feeds::xml
