#!/bin/sh
# The five workloads of `make bench`, Debian's programs doing MiBench's jobs.
# One file for both sides: the bench initramfs runs it in the guests, as
# /bench/workloads.sh, and tools/bench_mibench.py runs it on the host for the
# Local column, so the command lines are the same everywhere.
#
#   sh bench_workloads.sh prep     derive the big file and the raw audio from $IN
#   sh bench_workloads.sh NAME     run one workload; NAME is one of $WORKLOADS
#
# $IN holds the inputs tools/mkbench.py generated (tones.wav, image.ppm);
# $T is scratch space (tmpfs in the guest). Output goes to $T/log; a failing
# program fails the workload. Each workload repeats its job a few times (the
# loops below), so that a run takes 2-3 s of guest time on QEMU's TCG.
set -eu
WORKLOADS="adpcm gsm crc32 fft jpeg"
: "${IN:?}" "${T:?}"
SOX="sox -V1 --single-threaded"

case "${1:-}" in
prep)
	# the raw samples behind the wav's 44-byte header, for toast -l
	dd if="$IN/tones.wav" of="$T/tones.raw" bs=44 skip=1 2>/dev/null
	# a large file for the crc: the audio 16 times over
	: >"$T/big"
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cat "$IN/tones.wav" >>"$T/big"; done
	;;
adpcm)	# telecomm/adpcm: IMA ADPCM encode, then decode back to 16-bit PCM
	for _ in 1 2; do
		$SOX "$IN/tones.wav" -e ima-adpcm "$T/adpcm.wav" 2>>"$T/log"
		$SOX "$T/adpcm.wav" -e signed-integer -b 16 "$T/adpcm16.wav" 2>>"$T/log"
	done
	;;
gsm)	# telecomm/gsm: GSM 06.10 full-rate encode, then decode
	for _ in 1 2 3 4; do
		toast -c -l "$T/tones.raw" >"$T/tones.gsm" 2>>"$T/log"
		toast -d -c -l "$T/tones.gsm" >"$T/gsm.raw" 2>>"$T/log"
	done
	;;
crc32)	# telecomm/CRC32: the CRC-32 of a large file (30 MB), 32 times
	b="$T/big"
	for _ in 1 2; do
		rhash --crc32 --simple "$b" "$b" "$b" "$b" "$b" "$b" "$b" "$b" \
			"$b" "$b" "$b" "$b" "$b" "$b" "$b" "$b" >>"$T/log"
	done
	;;
fft)	# telecomm/FFT: forward and inverse real FFTs; sox's sinc filter convolves
	# by FFT, block by block (a 32767-tap band-pass, twice over the audio)
	for _ in 1 2; do
		$SOX "$IN/tones.wav" "$T/fft.wav" sinc -n 32767 300-3400 sinc -n 32767 -3000 2>>"$T/log"
	done
	;;
jpeg)	# consumer/jpeg: compress a PPM image, then decompress it
	for _ in 1 2 3 4 5 6; do
		cjpeg -quality 90 -outfile "$T/image.jpg" "$IN/image.ppm" 2>>"$T/log"
		djpeg -ppm -outfile "$T/image.ppm" "$T/image.jpg" 2>>"$T/log"
	done
	;;
list)
	echo "$WORKLOADS"
	;;
*)
	echo "bench_workloads.sh: unknown workload '${1:-}' (one of: prep $WORKLOADS list)" >&2
	exit 2
	;;
esac
