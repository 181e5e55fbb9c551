// Fuzzes the audio prober: any bytes give an AudioInfo or an error, never a crash, a hang
// or a runaway allocation. Content is sniffed before TagLib sees it, so most garbage is
// refused early; inputs that sniff as audio exercise TagLib and podcastd's own readers
// (ID3 CHAP/CTOC ordering, ISO BMFF boxes, QuickTime chapter tracks, chpl, esds, RIFF).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/audio_probe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)podcastd::catalog::sniff_media_type(bytes.substr(0, 64));
  auto info = podcastd::catalog::probe_audio_bytes(bytes, "fuzz");
  (void)info;
  return 0;
}
