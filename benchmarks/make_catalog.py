"""Generate a synthetic canon catalog of any size, in the real schema.

The catalog is deterministic for a given size and seed, so timings are comparable
between runs and machines. Field sizes follow the shipped catalog: titles of 5-15
words, 1-6 authors, English summaries of 40-60 words, Chinese summaries of 60-120
characters, 0-2 extra links, 1-4 tags from the vocabulary, and a section tree of
25 sections that includes ``agents``. About 5% of the entries mention
"transformer" (and only those carry the ``transformers`` tag), so
``canon list --search transformer`` returns a known share of the catalog.

The YAML is written with plain string formatting: every scalar is a JSON string,
which is also a valid YAML double-quoted scalar, so 100,000 entries take seconds.

Usage:
    python benchmarks/make_catalog.py --entries 10000 --out big10k.yaml [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

TRANSFORMER_SHARE = 0.05

TAGS: dict[str, str] = {
    "llm": "Large language models",
    "transformers": "The transformer architecture and attention",
    "diffusion": "Diffusion models",
    "rlhf": "Learning from human or AI feedback",
    "agents": "Autonomous agents and tool use",
    "reasoning": "Reasoning and planning with language models",
    "scaling": "Scaling laws, compute and data",
    "retrieval": "Retrieval, vector search and RAG",
    "embeddings": "Word vectors and embeddings",
    "deep-learning": "Deep learning fundamentals",
    "nlp": "Natural language processing",
    "vision": "Computer vision and image generation",
    "multimodal": "Models that join text with images, audio or other data",
    "prompting": "Prompt engineering and prompt injection",
    "fine-tuning": "Fine-tuning and instruction tuning",
    "efficiency": "Efficient training and inference",
    "applications": "Building applications on language models",
    "evaluation": "Benchmarks, leaderboards and evaluation",
    "open-source": "Open models and open code",
    "code": "Code generation",
    "video": "Video generation",
    "audio": "Audio, speech and music generation",
    "3d": "3D scenes and view synthesis",
    "biology": "Biology, medicine and health care",
    "safety": "Safety, security and alignment",
    "market": "Markets, business and economics",
}
# Every tag but "transformers": that one marks exactly the entries that mention the word.
COMMON_TAGS = [t for t in TAGS if t != "transformers"]

# (slug, English name, Chinese name, children); 25 sections in all.
SECTION_TREE: list[tuple[str, str, str, list[tuple[str, str, str, list]]]] = [
    ("introductions", "Gentle introductions", "友好的引言", []),
    (
        "foundations",
        "Foundational learning",
        "基础学习",
        [
            ("foundations-explainers", "Explainers", "解释者", []),
            ("foundations-courses", "Courses", "课程", []),
        ],
    ),
    (
        "tech-deep-dive",
        "Tech deep dive",
        "技术深度剖析",
        [
            ("deep-dive-explainers", "Explainers", "解释者", []),
            ("deep-dive-courses", "Courses", "课程", []),
            ("reference-and-commentary", "Reference and commentary", "参考和评论", []),
        ],
    ),
    (
        "practical-guides",
        "Practical guides",
        "实用指南",
        [
            ("practical-reference", "Reference", "参考", []),
            ("practical-courses", "Courses", "课程", []),
            ("llm-benchmarks", "LLM benchmarks", "LLM 对比", []),
        ],
    ),
    (
        "market-analysis",
        "Market analysis",
        "市场分析",
        [
            ("a16z-thinking", "Firm thinking", "公司思考", []),
            ("other-perspectives", "Other perspectives", "其他观点", []),
        ],
    ),
    (
        "research",
        "Landmark research results",
        "里程碑式的研究成果",
        [
            (
                "llms",
                "Large language models",
                "大型语言模型",
                [
                    ("new-models", "New models", "新模型", []),
                    ("model-improvements", "Model improvements", "模型改进", []),
                ],
            ),
            ("image-generation", "Image generation models", "图像生成模型", []),
            ("agents", "Agents", "代理", []),
            (
                "other-modalities",
                "Other data modalities",
                "其他数据模态",
                [
                    ("code-generation", "Code generation", "代码生成", []),
                    ("video-generation", "Video generation", "视频生成", []),
                    (
                        "biology-medicine",
                        "Human biology and medical data",
                        "人类生物学和医学数据",
                        [],
                    ),
                    ("audio-generation", "Audio generation", "音频生成", []),
                ],
            ),
        ],
    ),
]

KINDS = (
    ["paper"] * 6
    + ["article"] * 4
    + [
        "video",
        "talk",
        "course",
        "book",
        "report",
        "leaderboard",
        "repository",
        "website",
        "guide",
    ]
)

_WORDS_TEXT = (
    "language model models learning deep neural network networks training inference data"
    " large scale scaling attention reasoning agents agent tool tools retrieval search vector"
    " embedding embeddings diffusion image images video audio speech text code generation"
    " fine tuning instruction feedback human reward policy alignment safety evaluation"
    " benchmark benchmarks efficient sparse dense mixture experts memory context window"
    " prompt prompting chain thought planning autonomous open source weights parameters"
    " compute optimal laws emergent abilities zero shot few representation representations"
    " self supervised contrastive pretraining pretrained understanding generative adversarial"
    " latent space sampling decoding tokens tokenizer vocabulary multilingual translation"
    " summarization question answering dialogue chat conversation reinforcement robust robustness"
    " interpretability mechanistic circuits features neurons layers residual normalization"
    " optimizer gradient descent stochastic convergence regularization dropout architecture"
    " encoder decoder sequence recurrent convolutional graph knowledge structured world"
    " simulation environment interactive multimodal vision grounding perception medical"
    " biology protein molecules music synthesis scene view radiance fields market product"
    " business economics society jobs future survey review practical guide introduction"
    " explained primer lessons notes course lecture analysis study approach method framework"
)
WORDS = _WORDS_TEXT.split()

_FIRST_NAMES_TEXT = (
    "Ada Alan Alec Alex Amir Ana Andrej Ashish Bo Chen Chris Dale Dario David Diederik Emily"
    " Fei Geoffrey Greg Hao Ian Ilya Jack Jacob Jan Jared Jason Jeff Jeremy Jia Jie Kai Kevin"
    " Lei Li Lilian Lucas Maria Mark Max Mei Ming Mira Nando Noam Oriol Percy Quoc Rich Sam"
    " Sara Sebastian Shane Tim Tom Wei Xin Yann Yi Ying Yoshua Yu Zhi"
)
FIRST_NAMES = _FIRST_NAMES_TEXT.split()
_LAST_NAMES_TEXT = (
    "Abbeel Amodei Bengio Brown Chen Dean Dettmers Finn Goodfellow Hinton Ho Howard Huang"
    " Kaplan Karpathy Kingma LeCun Li Liang Lin Liu Manning Markowitz Ng Olah Radford Raffel"
    " Schmidhuber Shazeer Silver Sutskever Tang Vaswani Wang Wei Weng Wolfram Wu Xu Yang Yao"
    " Zhang Zhao Zhou Zhu"
)
LAST_NAMES = _LAST_NAMES_TEXT.split()

# Common Chinese characters, drawn at random for the zh summaries and titles.
CJK = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都"
    "两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重"
    "新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知"
    "较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理模型语言训练推断数据"
)
CJK_PUNCT = "，。、"

LINK_LABELS = ["blog post", "code", "slides", "video", "paper", "project page", "thread"]


def _sections_yaml(
    nodes: list[tuple[str, str, str, list]], indent: int, out: list[str], slugs: list[str]
) -> None:
    pad = " " * indent
    for slug, name_en, name_zh, children in nodes:
        slugs.append(slug)
        out.append(f"{pad}- slug: {slug}\n")
        out.append(f"{pad}  name: {{en: {_q(name_en)}, zh: {_q(name_zh)}}}\n")
        if indent == 2:
            out.append(f"{pad}  description:\n")
            out.append(f"{pad}    en: {_q('Readings on ' + name_en.lower() + ', in order.')}\n")
            out.append(f"{pad}    zh: {_q(name_zh + '方面的阅读材料，按顺序排列。')}\n")
        if children:
            out.append(f"{pad}  sections:\n")
            _sections_yaml(children, indent + 4, out, slugs)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    if '"' in text or "\\" in text:
        return json.dumps(text, ensure_ascii=False)
    return f'"{text}"'


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_q(item) for item in items) + "]"


class _Pools:
    """Long random runs of words and CJK characters; text is a random slice of them.

    One random offset per field instead of one draw per word keeps generation fast.
    """

    def __init__(self, rng: random.Random, size: int = 1 << 16) -> None:
        self.words = rng.choices(WORDS, k=size)
        chars = rng.choices(CJK, k=size)
        # a comma or full stop every 12-20 characters, as in real prose
        parts = []
        start = 0
        while start < size:
            stop = start + rng.randint(12, 20)
            parts.append("".join(chars[start:stop]))
            start = stop
        self.cjk = "".join(p + rng.choice(CJK_PUNCT) for p in parts)
        self.rng = rng

    def words_of(self, count: int) -> list[str]:
        start = self.rng.randrange(len(self.words) - count)
        return self.words[start : start + count]

    def cjk_of(self, count: int) -> str:
        start = self.rng.randrange(len(self.cjk) - count)
        return self.cjk[start : start + count].lstrip(CJK_PUNCT) + "。"


def _sentences(rng: random.Random, words: list[str]) -> str:
    """Words joined into capitalised sentences of 8-16 words."""
    out: list[str] = []
    i = 0
    while i < len(words):
        n = rng.randint(8, 16)
        chunk = words[i : i + n]
        out.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + ".")
        i += n
    return " ".join(out)


def entry_yaml(pools: _Pools, index: int, section: str, transformer: bool) -> str:
    rng = pools.rng
    title_words = list(pools.words_of(rng.randint(5, 15)))
    summary_words = list(pools.words_of(rng.randint(40, 60)))
    tags = rng.sample(COMMON_TAGS, rng.randint(1, 4))
    if transformer:
        tags[0] = "transformers"
        if rng.random() < 0.5:
            title_words[rng.randrange(len(title_words))] = "transformer"
        else:
            summary_words[rng.randrange(len(summary_words))] = "transformer"
    slug = "-".join(title_words[:4])
    entry_id = f"{slug}-{index}"
    title = title_words[0].capitalize() + " " + " ".join(title_words[1:])
    authors = [
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.randint(1, 6))
    ]
    lines = [
        f"  - id: {entry_id}\n",
        f"    title: {_q(title)}\n",
    ]
    if rng.random() < 0.3:
        lines.append(f"    title_zh: {_q(pools.cjk_of(rng.randint(6, 14)))}\n")
    lines.append(f"    url: {_q(f'https://example.org/{section}/{entry_id}')}\n")
    lines.append(f"    section: {section}\n")
    if rng.random() < 0.9:
        lines.append(f"    year: {rng.randint(1986, 2025)}\n")
    lines.append(f"    authors: {_flow(authors)}\n")
    lines.append(f"    kind: {rng.choice(KINDS)}\n")
    lines.append(f"    tags: {_flow(tags)}\n")
    lines.append("    summary:\n")
    lines.append(f"      en: {_q(_sentences(rng, summary_words))}\n")
    lines.append(f"      zh: {_q(pools.cjk_of(rng.randint(60, 120)))}\n")
    n_links = rng.choice((0, 0, 0, 1, 1, 2))
    if n_links:
        lines.append("    links:\n")
        for label in rng.sample(LINK_LABELS, n_links):
            url = f"https://example.com/{entry_id}/{label.replace(' ', '-')}"
            lines.append(f"      - {{label: {_q(label)}, url: {_q(url)}}}\n")
    if rng.random() < 0.02:
        lines.append(f"    aliases: [{slug}-old-{index}]\n")
    return "".join(lines)


def write_catalog(path: Path, entries: int, seed: int = 1) -> Path:
    """Write a catalog of ``entries`` entries to ``path`` and return the path."""
    rng = random.Random(f"canon-bench-{seed}-{entries}")
    head = [
        "# Synthetic catalog for benchmarks (benchmarks/make_catalog.py).\n",
        "version: 1\n",
        "title: {en: Synthetic canon, zh: 合成经典}\n",
        "source: https://example.org/synthetic\n",
        "tags:\n",
    ]
    head.extend(f"  {slug}: {_q(text)}\n" for slug, text in TAGS.items())
    head.append("sections:\n")
    slugs: list[str] = []
    _sections_yaml(SECTION_TREE, 2, head, slugs)
    head.append("entries:\n")
    n_transformer = max(1, round(entries * TRANSFORMER_SHARE))
    marked = set(rng.sample(range(entries), n_transformer)) if entries else set()
    pools = _Pools(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(head))
        batch: list[str] = []
        for i in range(entries):
            batch.append(entry_yaml(pools, i, rng.choice(slugs), i in marked))
            if len(batch) >= 2000:
                fh.write("".join(batch))
                batch.clear()
        fh.write("".join(batch))
    return path


def section_count() -> int:
    slugs: list[str] = []
    _sections_yaml(SECTION_TREE, 2, [], slugs)
    return len(slugs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", "-n", type=int, required=True, help="number of entries")
    parser.add_argument("--out", "-o", type=Path, required=True, help="catalog file to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.entries < 0:
        parser.error("--entries must be 0 or more")
    write_catalog(args.out, args.entries, args.seed)
    size = args.out.stat().st_size
    print(f"wrote {args.out}: {args.entries} entries, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
