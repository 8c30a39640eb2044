"""Computes the Smart Turn reference figures that parley.hearing's tests compare Parley against.

Pipecat's own pipeline is the reference: its vendored Whisper feature extractor (_whisper_features.py, loaded
from the file alone, so that nothing else of pipecat is imported), soxr's HQ resampler for 8 kHz phone audio,
and onnxruntime. The audio comes from parley.hearing.TurnFixtureAudio; run that first.

Nothing here is needed by Parley's build or CI. To run it, from the repository root, with the model already
fetched into target/classes/models by the Maven build:

    python3 -m venv /tmp/turn-venv
    /tmp/turn-venv/bin/pip install numpy soxr onnxruntime==1.23.2
    /tmp/turn-venv/bin/pip download pipecat-ai==1.14.0 --no-deps -d /tmp/turn-wheel
    unzip -o /tmp/turn-wheel/pipecat_ai-1.14.0-py3-none-any.whl \
        pipecat/audio/turn/smart_turn/_whisper_features.py -d /tmp/turn-wheel
    /tmp/turn-venv/bin/python src/test/python/make_turn_fixtures.py \
        /tmp/turn-wheel/pipecat/audio/turn/smart_turn/_whisper_features.py

It writes into src/test/resources/turn-model:
  features-<case>.f32   the [80, 800] features, float32 little-endian, of two wideband cases and of one phone
                        case (features-all-turns-phone.f32: the 8 kHz audio upsampled by soxr)
  probabilities.csv     per turn, the model's probability on the wideband audio and on the phone audio, and
                        phone_spread: how far the phone probability moves when each 8 kHz sample moves by less
                        than one 16-bit step (the largest move over a few seeded draws), which says how
                        unstable the reference itself is for that turn
"""

import argparse
import csv
import importlib.util
from pathlib import Path

import numpy as np
import onnxruntime as ort
import soxr

RATE = 16000
PHONE_RATE = 8000
WINDOW = 8 * RATE
SPREAD_DRAWS = 8
TURNS = ["complete-tuesday", "complete-minute", "complete-question", "cut-and", "cut-number", "cut-so-um"]
# The turns one after another: longer than 8 s, so the start is cut off and nothing is padded.
ALL_TURNS = "all-turns"
FEATURE_CASES = ["complete-tuesday", ALL_TURNS]
PHONE_FEATURE_CASES = [ALL_TURNS]


def load_features(path):
    spec = importlib.util.spec_from_file_location("_whisper_features", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compute_whisper_log_mel_features


def mulaw_decode(codes):
    """G.711 mu-law to 16-bit PCM, as parley.audio.MuLaw decodes it."""
    u = ~codes.astype(np.int32) & 0xFF
    magnitude = ((((u & 0x0F) << 3) + 0x84) << ((u >> 4) & 0x07)) - 0x84
    return np.where(u & 0x80, -magnitude, magnitude).astype(np.int16)


def last_eight_seconds(audio):
    """Pipecat's LocalSmartTurnAnalyzerV3: the last 8 s, or zeros in front up to 8 s."""
    if len(audio) >= WINDOW:
        return audio[-WINDOW:]
    return np.pad(audio, (WINDOW - len(audio), 0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("whisper_features", help="pipecat/audio/turn/smart_turn/_whisper_features.py")
    parser.add_argument("--model", default="target/classes/models/smart-turn-v3.2-cpu.onnx")
    parser.add_argument("--fixtures", default="src/test/resources/turn-model")
    args = parser.parse_args()

    features_of = load_features(args.whisper_features)
    options = ort.SessionOptions()
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(args.model, sess_options=options)
    fixtures = Path(args.fixtures)

    def probability(wideband):
        features = features_of(last_eight_seconds(wideband), do_normalize=True)
        return features, float(session.run(None, {"input_features": features[np.newaxis]})[0][0, 0])

    wide = {t: np.fromfile(fixtures / f"{t}.s16", dtype="<i2").astype(np.float32) / 32768 for t in TURNS}
    phone = {t: mulaw_decode(np.fromfile(fixtures / f"{t}.ulaw", dtype=np.uint8)).astype(np.float32) / 32768
             for t in TURNS}
    wide[ALL_TURNS] = np.concatenate([wide[t] for t in TURNS])
    phone[ALL_TURNS] = np.concatenate([phone[t] for t in TURNS])

    with open(fixtures / "probabilities.csv", "w", newline="") as out:
        rows = csv.writer(out, lineterminator="\n")
        rows.writerow(["turn", "complete", "wideband", "phone", "phone_spread"])
        for turn in TURNS + [ALL_TURNS]:
            features, p_wide = probability(wide[turn])
            if turn in FEATURE_CASES:
                features.astype("<f4").tofile(fixtures / f"features-{turn}.f32")
            features, p_phone = probability(soxr.resample(phone[turn], PHONE_RATE, RATE, quality="HQ"))
            if turn in PHONE_FEATURE_CASES:
                features.astype("<f4").tofile(fixtures / f"features-{turn}-phone.f32")
            draws = np.random.default_rng(sum(turn.encode()))
            spread = 0.0
            for _ in range(SPREAD_DRAWS):
                nudge = draws.uniform(-1, 1, len(phone[turn])).astype(np.float32) / 32768
                _, p_nudged = probability(soxr.resample(phone[turn] + nudge, PHONE_RATE, RATE, quality="HQ"))
                spread = max(spread, abs(p_nudged - p_phone))
            rows.writerow([turn, str(turn.startswith("complete")).lower(), f"{p_wide:.7f}", f"{p_phone:.7f}",
                           f"{spread:.7f}"])
            print(f"{turn:18s} wideband {p_wide:.4f}  phone {p_phone:.4f}  spread {spread:.4f}")


if __name__ == "__main__":
    main()
