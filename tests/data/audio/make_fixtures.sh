#!/bin/sh
# Regenerates the committed audio fixtures. Needs ffmpeg (not needed by the tests themselves:
# MP3, WAV, FLAC and Ogg Vorbis files are made at test time with sox and lame).
#   chapters.m4a   3 s AAC, brand "M4A ", tags, 3 chapters (QuickTime chapter track + Nero chpl)
#   audio-only.mp4 2 s AAC in an "isom" file without a video track
#   video.mp4      1 s 32x32 MPEG-4 video + AAC, brand "isom"
#   tone.opus      2 s Opus with a title tag
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/meta.txt" <<'META'
;FFMETADATA1
title=M4A Fixture
artist=Fixture Artist
album=Fixture Album
comment=Made by make_fixtures.sh
date=2024-04-03

[CHAPTER]
TIMEBASE=1/1000
START=0
END=1000
title=Opening

[CHAPTER]
TIMEBASE=1/1000
START=1000
END=2200
title=Middle part

[CHAPTER]
TIMEBASE=1/1000
START=2200
END=3000
title=Ending
META
common="-hide_banner -loglevel error -y"
ffmpeg $common -f lavfi -i "sine=frequency=440:sample_rate=22050:duration=3" -i "$tmp/meta.txt" \
  -map 0:a -map_metadata 1 -map_chapters 1 -c:a aac -b:a 24k -ac 1 -flags +bitexact chapters.m4a
ffmpeg $common -f lavfi -i "sine=frequency=330:sample_rate=22050:duration=2" \
  -c:a aac -b:a 24k -ac 1 -flags +bitexact -f mp4 -brand isom audio-only.mp4
ffmpeg $common -f lavfi -i "testsrc=size=32x32:rate=5:duration=1" \
  -f lavfi -i "sine=frequency=550:sample_rate=22050:duration=1" \
  -c:v mpeg4 -q:v 31 -c:a aac -b:a 24k -ac 1 -flags +bitexact -shortest -brand isom video.mp4
ffmpeg $common -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=2" \
  -c:a libopus -b:a 12k -ac 1 -metadata title="Opus Fixture" -flags +bitexact tone.opus
