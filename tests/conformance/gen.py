#!/usr/bin/env python3
"""Generates tests/conformance/cases/*.jsonl (deterministic: same output on every run).

    python3 tests/conformance/gen.py            # rewrite cases/*.jsonl
    cargo run -p reviewguard-conformance -- bless   # then bless expected/*.jsonl and review

Each entry: {"name", "input" (the case JSON text), "expect" (the kinds the author expects, as
codes, or {"error": code, "location": path}), "note"?}. The inputs are written literally into
cases/: the conformance corpus does not depend on this script or on tests/corpus at run time.
Some texts come from the labelled corpus tests/corpus/*.jsonl (its `expect` becomes this
corpus's `expect`), the others are written here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "cases"

SLUG = {
    "seller-self-review": "RP-01",
    "compensated-review": "RP-02",
    "refund-for-review-change": "RP-03",
    "review-club": "RP-04",
    "insider-review": "RP-05",
    "review-change-request": "RP-06",
    "review-diversion": "RP-07",
    "variation-abuse": "RP-08",
    "insert-solicitation": "RP-09",
    "customer-account-misuse": "RP-10",
    "biased-review-request": "RP-11",
}
CHANNELS = ["buyer_seller_message", "package_insert", "product_listing", "review_request", "external"]
LANGS = ["en", "de", "fr", "es", "it", "ja"]


def compact(v) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


class File:
    def __init__(self, name: str):
        self.name = name
        self.entries: list[dict] = []

    def add(self, name: str, case, expect, note: str | None = None) -> None:
        text = case if isinstance(case, str) else compact(case)
        assert "\n" not in text and "\r" not in text, name
        assert text.strip(), name
        if not isinstance(expect, dict):
            expect = sorted(set(expect))
        e = {"name": f"{self.name}/{name}", "input": text, "expect": expect}
        if note:
            e["note"] = note
        self.entries.append(e)

    def write(self) -> None:
        names = [e["name"] for e in self.entries]
        assert len(names) == len(set(names)), f"duplicate names in {self.name}"
        with open(OUT / f"{self.name}.jsonl", "w", encoding="utf-8", newline="\n") as f:
            for e in self.entries:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")


# --- case builders -----------------------------------------------------------------------

SELLER_PARTIES = [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}]


def message_case(cid, text, channel=None, locale=None, sender="S1", to="A1", seller="S1", extra=None):
    m = {"id": "M1"}
    if channel:
        m["channel"] = channel
    if sender:
        m["from"] = sender
    if to:
        m["to"] = to
    m["text"] = text
    if locale:
        m["locale"] = locale
    c = {"id": cid}
    if seller:
        c["seller"] = seller
    c["parties"] = [dict(p) for p in SELLER_PARTIES]
    c["messages"] = [m]
    if extra:
        extra(c)
    return c


def review_case(cid, text, program=None, rating=5, title=None):
    r = {"id": "R1", "product": "B1", "author": "A1", "rating": rating}
    if title:
        r["title"] = title
    r["text"] = text
    if program is not None:
        r["program"] = program
    return {
        "id": cid,
        "seller": "S1",
        "parties": [dict(p) for p in SELLER_PARTIES],
        "products": [{"id": "B1", "seller": "S1", "brand": "Acme", "category": "kitchen/blenders"}],
        "reviews": [r],
    }


def graph_case(cid, parties, relations, reviews, products=None, seller="S1", **more):
    """A relations case: S1 sells B01 (kitchen/knives); S2 sells B02 (same category) and B03
    (books); S3 sells B04 (garden/hoses, unrelated to S1)."""
    base_parties = [
        {"id": "S1", "kind": "seller"},
        {"id": "S2", "kind": "seller"},
        {"id": "S3", "kind": "seller"},
    ]
    ids = {p["id"] for p in base_parties}
    for p in parties:
        if p["id"] not in ids:
            base_parties.append(p)
            ids.add(p["id"])
    c = {"id": cid}
    if seller:
        c["seller"] = seller
    c["parties"] = base_parties
    c["relations"] = relations
    c["products"] = products or [
        {"id": "B01", "seller": "S1", "brand": "Acme", "category": "kitchen/knives", "product_type": "KNIFE"},
        {"id": "B02", "seller": "S2", "brand": "Other", "category": "kitchen/knives", "product_type": "KNIFE"},
        {"id": "B03", "seller": "S2", "brand": "Other", "category": "books/fiction", "product_type": "BOOK"},
        {"id": "B04", "seller": "S3", "brand": "Hoseco", "category": "garden/hoses", "product_type": "HOSE"},
    ]
    c["reviews"] = reviews
    c.update(more)
    return c


def P(pid, kind="person"):
    return {"id": pid, "kind": kind}


def A(pid):
    return {"id": pid, "kind": "customer_account"}


def X(pid):
    return {"id": pid, "kind": "service"}


def rel(kind, a, b, signal=None):
    r = {"kind": kind, "from": a, "to": b}
    if signal:
        r["signal"] = signal
    return r


def rev(rid, product, author, rating=5, text="Great product.", **more):
    r = {"id": rid, "product": product, "author": author, "rating": rating, "text": text}
    r.update(more)
    return r


# --- the labelled text corpus --------------------------------------------------------------


def corpus(lang: str) -> list[dict]:
    out = []
    for n, line in enumerate((ROOT / "tests" / "corpus" / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            item["_line"] = n
            out.append(item)
    return out


def corpus_entry(f: File, prefix: str, item: dict) -> None:
    codes = [SLUG[s] for s in item["expect"]]
    cid = f"{prefix}-{item['_line']}"
    if item["source"] == "review":
        case = review_case(cid, item["text"])
    else:
        case = message_case(cid, item["text"], channel=item.get("channel"), locale=item.get("locale"))
    f.add(f"{prefix}-{item['_line']}", case, codes, note=item.get("note"))


def pick(items: list[dict], per_group_pos: int, per_group_neg: int) -> list[dict]:
    """The first items of each (expect, source, channel) group, in corpus order."""
    groups: dict = defaultdict(list)
    for it in items:
        groups[(tuple(sorted(it["expect"])), it["source"], it.get("channel"))].append(it)
    chosen = []
    for key, its in groups.items():
        k = per_group_neg if not key[0] else per_group_pos
        chosen.extend(its[:k])
    return sorted(chosen, key=lambda it: it["_line"])


# --- files ---------------------------------------------------------------------------------


def languages() -> File:
    f = File("languages")
    for lang in LANGS:
        items = corpus(lang)
        if lang == "en":
            chosen = pick(items, 1, 12)
        else:
            chosen = pick(items, 2, 14)
        for it in chosen:
            corpus_entry(f, lang, it)
    # Written for this corpus (not in tests/corpus): one more of each text kind per language.
    fresh = {
        "en": [
            ("RP-02", "Post a review this week and we will mail you a free phone case.", None),
            ("RP-11", "Only leave a review if you are 100% satisfied with the blender!", None),
            ("RP-03 RP-06", "Now that your replacement arrived, please edit your 2-star review.", None),
            ("RP-07 RP-11", "If something is wrong, message us here first instead of writing a review. Happy customers: please review us!", None),
            ("RP-09", "Enjoying your kettle? A 5-star review would mean the world to us!", "package_insert"),
        ],
        "de": [
            ("RP-02", "Für Ihre Bewertung erhalten Sie einen Gutschein über 10 €.", None),
            ("RP-11", "Bitte hinterlassen Sie uns eine 5-Sterne-Bewertung!", None),
            ("RP-06", "Könnten Sie Ihre Bewertung bitte löschen? Das Problem ist gelöst.", None),
            ("RP-09", "Gefällt Ihnen das Produkt? Bitte bewerten Sie uns mit 5 Sternen!", "package_insert"),
        ],
        "fr": [
            ("RP-02", "Laissez un avis et recevez une carte cadeau de 10 €.", None),
            ("RP-11", "Merci de nous laisser un avis 5 étoiles !", None),
            ("RP-06", "Pourriez-vous supprimer votre avis négatif ?", None),
            ("RP-09", "Vous aimez ce produit ? Laissez-nous un avis 5 étoiles !", "package_insert"),
        ],
        "es": [
            ("RP-02", "Deja una reseña y te enviaremos una tarjeta regalo de 10 €.", None),
            ("RP-11", "¡Por favor, déjanos una reseña de 5 estrellas!", None),
            ("RP-06", "¿Podría eliminar su reseña negativa, por favor?", None),
            ("RP-09", "¿Te encanta? ¡Déjanos una reseña de 5 estrellas!", "package_insert"),
        ],
        "it": [
            ("RP-02", "Lascia una recensione e ricevi un buono regalo da 10 €.", None),
            ("RP-11", "Per favore, lasciaci una recensione a 5 stelle!", None),
            ("RP-06", "Potrebbe cancellare la sua recensione negativa, per favore?", None),
            ("RP-09", "Ti piace? Lasciaci una recensione a 5 stelle!", "package_insert"),
        ],
        "ja": [
            ("RP-02", "レビューを書いていただいた方にAmazonギフト券500円分をプレゼントします。", None),
            ("RP-11", "ぜひ星5つのレビューをお願いします！", None),
            ("RP-06", "お手数ですが、低評価のレビューを削除していただけませんか？", None),
            ("RP-09", "気に入っていただけましたら、星5つのレビューをお願いします！", "package_insert"),
        ],
    }
    for lang in LANGS:
        for i, (code, text, channel) in enumerate(fresh[lang], 1):
            f.add(f"{lang}-fresh-{i}-{code.replace(' ', '-')}", message_case(f"{lang}-fresh-{i}", text, channel=channel, locale=lang), code.split())
    return f


def obfuscations() -> File:
    f = File("obfuscations")
    for it in corpus("obfuscation"):
        corpus_entry(f, "corpus", it)
    base = "Leave a 5-star review and get a free gift card!"
    fresh = [
        ("spacing", "Please l e a v e us a 5-star r e v i e w and get a f r e e gift card!", ["RP-02", "RP-11"]),
        ("spacing-with-article", "L e a v e a 5-star r e v i e w and get a f r e e gift card!", ["RP-02", "RP-11"]),
        ("spacing-one-run", "l e a v e a r e v i e w a n d g e t a f r e e g i f t c a r d", ["RP-02"]),
        ("neutral-spaced-letters", "a b c d e f g h i j k l m n o p", []),
        ("leetspeak", "L34ve 4 5-st4r r3v13w 4nd g3t 4 fr33 g1ft c4rd!", ["RP-02", "RP-11"]),
        ("homoglyphs", "Lеаvе а 5-stаr rеviеw аnd gеt а frее gift саrd!", ["RP-02", "RP-11"]),
        ("zero-width", "Leave a 5-st\u200bar re\u200dview and get a fr\u200cee gift\u2060 card!", ["RP-02", "RP-11"]),
        ("fullwidth", "Ｌｅａｖｅ ａ ５－ｓｔａｒ ｒｅｖｉｅｗ ａｎｄ ｇｅｔ ａ ｆｒｅｅ ｇｉｆｔ ｃａｒｄ！", ["RP-02", "RP-11"]),
        ("diacritics", "Léâvé à 5-stàr révîéw ànd gét à fréé gïft càrd!", ["RP-02", "RP-11"]),
        ("combining-marks", "Le\u0301ave a 5-sta\u0300r revi\u0308ew and get a fre\u0301e gift card!", ["RP-02", "RP-11"]),
        ("punctuation", "Leave a 5-star r.e.v.i.e.w and get a f.r.e.e gift card!", ["RP-02", "RP-11"]),
        ("case", "lEaVe A 5-StAr ReViEw AnD gEt A fReE gIfT cArD!", ["RP-02", "RP-11"]),
        ("emoji-stars", "Leave a ⭐⭐⭐⭐⭐ review and get a free gift card!", ["RP-02", "RP-11"]),
        ("number-words", "Leave a five-star review and get a free gift card!", ["RP-02", "RP-11"]),
        ("masked", "Leave a 5-star r**view and get a free g*ft card!", ["RP-02", "RP-11"]),
        ("plain", base, ["RP-02", "RP-11"]),
        ("de-spacing", "Hinterlassen Sie eine 5-Sterne-B e w e r t u n g!", ["RP-11"]),
        ("de-fullwidth", "Ｂｉｔｔｅ ｈｉｎｔｅｒｌａｓｓｅｎ Ｓｉｅ ｕｎｓ ｅｉｎｅ ５-Ｓｔｅｒｎｅ-Ｂｅｗｅｒｔｕｎｇ！", ["RP-11"]),
        ("fr-no-accents", "Merci de nous laisser un avis 5 etoiles !", ["RP-11"]),
        ("es-no-accents", "Por favor, dejanos una resena de 5 estrellas!", ["RP-11"]),
        ("it-caps", "PER FAVORE, LASCIACI UNA RECENSIONE A 5 STELLE!", ["RP-11"]),
        ("ja-fullwidth-digit", "ぜひ星５つのレビューをお願いします！", ["RP-11"]),
        ("ja-halfwidth-kana", "ぜひ星5つのﾚﾋﾞｭｰをお願いします！", ["RP-11"]),
        ("escaped-newlines", "Thanks for your order!\nLeave a 5-star review\tand get a free gift card!\r\n", ["RP-02", "RP-11"]),
        ("astral-prefix", "😀🎉 Leave a 5-star review and get a free gift card! 🎁", ["RP-02", "RP-11"]),
        # Obfuscated neutral texts: the folding must not make them violations.
        ("neutral-spacing", "We'd appreciate an h o n e s t review of your b l e n d e r.", []),
        ("neutral-fullwidth", "Ｔｈａｎｋｓ ｆｏｒ ｙｏｕｒ ｏｒｄｅｒ！ Ｓｈａｒｅ ｙｏｕｒ ｈｏｎｅｓｔ ｅｘｐｅｒｉｅｎｃｅ.", []),
        ("neutral-homoglyphs", "Wе hаvе issuеd а full rеfund fоr thе brоkеn blеndеr.", []),
        ("neutral-zero-width", "Your re\u200bfund was is\u200bsued to\u200bday.", []),
        ("neutral-diacritics", "Mérci pour votre commande, votre avis honnête nous aide.", []),
        ("neutral-leet", "Th4nks f0r y0ur 0rder, y0ur h0nest r3view helps 0thers.", []),
        ("neutral-emoji", "Thanks for your order 😀⭐ we hope you enjoy it!", []),
        ("neutral-number-words", "Our blender has five speeds and a two-year warranty.", []),
    ]
    for name, text, codes in fresh:
        f.add(name, message_case(f"obf-{name}", text), codes)
    return f


def channels() -> File:
    f = File("channels")
    texts = {
        "positive-ask": ("Please leave us a 5-star review!", "RP-11"),
        "incentive": ("Leave a review and we'll send you a $10 gift card.", "RP-02"),
        "change-request": ("Could you please update your review now that we have fixed the problem?", "RP-06"),
        "diversion": ("Happy with it? Leave a review! Any problem? Email us first, before leaving a review.", "RP-07"),
        "neutral": ("We'd appreciate it if you shared your honest experience in a review.", None),
        "service": ("Sorry about the damaged box, we've issued a full refund; contact us any time.", None),
    }
    for ch in CHANNELS:
        for key, (text, code) in texts.items():
            codes = []
            if code:
                codes = [code]
            if ch == "package_insert" and code in ("RP-11",):
                codes = ["RP-09"]
            if ch == "package_insert" and code == "RP-02":
                codes = ["RP-02", "RP-09"]
            if code == "RP-07":
                codes = ["RP-07", "RP-09" if ch == "package_insert" else "RP-11"]
            f.add(f"{ch}-{key}", message_case(f"ch-{ch}-{key}", text, channel=ch), codes)
    # The default channel (field absent) is buyer_seller_message.
    f.add("default-channel", message_case("ch-default", "Please leave us a 5-star review!"), ["RP-11"])
    # Who is speaking.
    ask = "Please leave us a 5-star review!"

    def people(c):
        c["parties"] += [P("P1"), P("P2"), P("P3"), A("A2"), A("A3"), X("X1"), P("P4"), {"id": "S2", "kind": "seller"}]
        c["relations"] = [
            rel("principal_of", "P1", "S1"),
            rel("employs", "S1", "P2"),
            rel("family", "P1", "P3"),
            rel("owns", "P1", "A2"),
            rel("controls", "P2", "A3", "login"),
            rel("partner", "S1", "X1"),
            rel("employs", "X1", "P4"),
        ]

    for who, codes in [
        ("S1", ["RP-11"]),
        ("P1", ["RP-11"]),  # principal (core)
        ("P2", ["RP-11"]),  # employee (staff)
        ("P3", []),  # family of a principal: not the seller's conduct
        ("A2", ["RP-11"]),  # account owned by a principal
        ("A3", ["RP-11"]),  # account controlled by staff
        ("X1", ["RP-11"]),  # hired agency (core)
        ("P4", ["RP-11"]),  # the agency's employee (staff)
        ("A1", []),  # an ordinary customer
        ("S2", []),  # another seller, not under evaluation
    ]:
        f.add(f"sender-{who}", message_case(f"ch-sender-{who}", ask, sender=who, to=None, extra=people), codes)
    f.add(
        "customer-asks-refund",
        message_case("ch-customer", "Refund me and I'll change my review to 5 stars.", sender="A1", to="S1"),
        [],
    )
    f.add("draft-no-sender", message_case("ch-draft", ask, sender=None, to=None), ["RP-11"])
    f.add(
        "draft-no-seller",
        {"id": "ch-anon", "messages": [{"id": "M1", "text": ask}]},
        ["RP-11"],
        note="no parties at all: the violation's seller is null",
    )
    f.add(
        "no-id",
        {"messages": [{"id": "M1", "text": ask, "channel": "review_request"}]},
        ["RP-11"],
        note="no case id: the decision's case is null",
    )
    f.add(
        "two-sellers-unnamed",
        {
            "id": "ch-two",
            "parties": [{"id": "S1", "kind": "seller"}, {"id": "S2", "kind": "seller"}, A("A1")],
            "messages": [
                {"id": "M1", "from": "S1", "to": "A1", "text": ask},
                {"id": "M2", "from": "S2", "to": "A1", "text": "Leave a review and get a free gift card!"},
                {"id": "M3", "from": "S2", "to": "A1", "text": "Thanks for your order!"},
            ],
        },
        ["RP-02", "RP-11"],
    )
    f.add(
        "message-about-review",
        {
            "id": "ch-review-link",
            "seller": "S1",
            "parties": SELLER_PARTIES,
            "products": [{"id": "B1", "seller": "S1"}],
            "reviews": [rev("R1", "B1", "A1", 1, "Broke in a week.")],
            "messages": [
                {"id": "M1", "from": "S1", "to": "A1", "review": "R1", "text": "We sent a replacement. Could you change your rating?"}
            ],
        },
        ["RP-03", "RP-06"],
        note="the replacement named next to the change request couples them (RP-03 'before or after the payment')",
    )
    for name, note, kind, codes in [
        ("note-incentive", "Gift card for your 5-star review, as promised", "gift_card", ["RP-02"]),
        ("note-removal", "Refund as agreed once you delete the review", "refund", ["RP-03", "RP-06"]),
        ("note-service", "Refund for the damaged item", "refund", []),
    ]:
        f.add(
            f"payment-{name}",
            {
                "id": f"ch-{name}",
                "seller": "S1",
                "parties": SELLER_PARTIES,
                "payments": [{"id": "PAY1", "from": "S1", "to": "A1", "kind": kind, "amount": "10.00", "currency": "USD", "note": note}],
            },
            codes,
        )
    for lang, text in [
        ("en", "Please leave us a 5-star review!"),
        ("de", "Bitte hinterlassen Sie uns eine 5-Sterne-Bewertung!"),
        ("ja", "ぜひ星5つのレビューをお願いします！"),
    ]:
        for loc in ["en", "de", "ja"]:
            codes = ["RP-11"] if loc == lang else []
            f.add(
                f"locale-{lang}-text-{loc}-hint",
                message_case(f"ch-loc-{lang}-{loc}", text, locale=loc),
                codes,
                note="a locale hint narrows the languages tried",
            )
    return f


def negatives() -> File:
    f = File("negatives")
    msgs = [
        "We'd appreciate it if you shared your honest experience in a review.",
        "Sorry about the damaged box, we've issued a full refund; contact us any time.",
        "We never offer anything in exchange for reviews.",
        "Please note we do not offer refunds, gifts or discounts for reviews, in line with marketplace policy.",
        "Your opinion matters: good or bad, please share an honest review.",
        "Thank you for your 5-star review, it made our day!",
        "Our blender is rated 4.8 stars by 3,000 customers.",
        "If you have any problem with the product, contact us and we will help.",
        "Your replacement ships today. Sorry for the trouble!",
        "Use code SPRING10 for 10% off your next order.",
        "We read every review and use them to improve our products.",
        "You can update your shipping address in your account settings.",
        "Our five-star hotel partners offer free breakfast.",
        "Please do not share your password with anyone, including us.",
        "Leave the box in a dry place; the gift card inside is from the manufacturer's promotion.",
        "We hope you enjoy the blender. Reviews help other customers decide, whatever your experience.",
        "Bitte teilen Sie uns Ihre ehrliche Meinung in einer Bewertung mit.",
        "Nous vous remercions pour votre commande. Un avis honnête aide les autres clients.",
        "Gracias por su compra. Su opinión sincera ayuda a otros clientes.",
        "Grazie per l'acquisto! Una recensione sincera aiuta gli altri clienti.",
        "ご購入ありがとうございます。率直なご意見をレビューでお聞かせください。",
        "Wir erstatten Ihnen den vollen Betrag für den beschädigten Artikel.",
        "Le remboursement de l'article endommagé a été effectué.",
        "Hemos emitido el reembolso completo del artículo dañado.",
        "Abbiamo emesso il rimborso completo per l'articolo danneggiato.",
        "破損した商品について全額返金いたしました。",
    ]
    for i, t in enumerate(msgs, 1):
        f.add(f"message-{i}", message_case(f"neg-m{i}", t), [])
    for i, ch in enumerate(CHANNELS, 1):
        f.add(f"neutral-in-{ch}", message_case(f"neg-ch{i}", "Thanks for your order! An honest review helps other buyers.", channel=ch), [])
    reviews = [
        ("self-update", "I will update my review after a month of use.", None),
        ("gift-card-bought", "I bought this with a gift card from my sister.", None),
        ("dentist-samples", "I got free samples from my dentist, then bought the full size.", None),
        ("changed-mind", "Edit: changed my mind, it's actually great after the firmware update.", None),
        ("vine", "Vine Customer Review of Free Product. Solid blender, a bit loud.", "vine"),
        ("vine-received-free", "I received this product for free in exchange for my honest review.", "vine"),
        ("arc", "I received an advance review copy of this book from the publisher.", "advance_review_copy"),
        ("five-stars", "Five stars, would buy again.", None),
        ("refund-from-amazon", "Amazon refunded me when it arrived broken, so no complaints.", None),
        ("de-ok", "Tolles Produkt, würde ich wieder kaufen.", None),
        ("ja-ok", "とても良い商品です。また買いたいです。", None),
    ]
    for name, text, program in reviews:
        f.add(f"review-{name}", review_case(f"neg-r-{name}", text, program=program), [])
    # POLICY.md's relation negatives.
    f.add(
        "employee-reviews-unrelated",
        graph_case("neg-g1", [P("P2"), A("A2")], [rel("employs", "S1", "P2"), rel("owns", "P2", "A2")], [rev("R1", "B04", "A2")]),
        [],
        note="a product neither S1 nor a competitor sells",
    )
    f.add(
        "owner-reviews-unrelated-book",
        graph_case("neg-g2", [P("P1"), A("A1")], [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1")], [rev("R1", "B03", "A1")]),
        [],
        note="B03 is S2's but S2 is no competitor and books/fiction is not a category S1 sells",
    )
    f.add(
        "family-of-family",
        graph_case(
            "neg-g3",
            [P("P2"), P("P3"), P("P4"), A("A4")],
            [rel("employs", "S1", "P2"), rel("family", "P2", "P3"), rel("family", "P3", "P4"), rel("owns", "P4", "A4")],
            [rev("R1", "B01", "A4")],
        ),
        [],
        note="one hop of family only",
    )
    f.add(
        "controlled-by-family-only",
        graph_case(
            "neg-g4",
            [P("P1"), P("P3"), A("A3")],
            [rel("principal_of", "P1", "S1"), rel("family", "P1", "P3"), rel("controls", "P3", "A3", "shared_device")],
            [rev("R1", "B01", "A3")],
        ),
        [],
    )
    f.add(
        "customer-edits-own-review",
        graph_case("neg-g5", [A("A1")], [], [rev("R1", "B01", "A1", 2, edits=[{"at": "2026-03-05T10:00:00Z", "by": "A1", "rating": 4}])]),
        [],
    )
    f.add(
        "unlinked-payment",
        graph_case(
            "neg-g6",
            [A("A1")],
            [],
            [rev("R1", "B01", "A1", 2)],
            payments=[{"id": "PAY1", "from": "S1", "to": "A1", "kind": "refund", "amount": "20.00"}],
        ),
        [],
        note="a refund with no link to a review and no text",
    )
    f.add(
        "linked-payment-lowered",
        graph_case(
            "neg-g7",
            [A("A1")],
            [],
            [rev("R1", "B01", "A1", 4, created_at="2026-03-01T10:00:00Z", edits=[{"at": "2026-03-06T10:00:00Z", "by": "A1", "rating": 2}])],
            payments=[{"id": "PAY1", "from": "S1", "to": "A1", "kind": "refund", "amount": "20.00", "at": "2026-03-04T09:00:00Z", "review": "R1"}],
        ),
        ["RP-02"],
        note="a linked payment not followed by removal or a raise is RP-02 (not a negative of the kinds, one of RP-03)",
    )
    f.add(
        "payment-by-customer",
        graph_case(
            "neg-g8",
            [A("A1")],
            [],
            [rev("R1", "B01", "A1", 5)],
            payments=[{"id": "PAY1", "from": "A1", "to": "S1", "kind": "cash", "amount": "20.00", "review": "R1"}],
        ),
        [],
        note="money from the customer to the seller is not the seller side compensating",
    )
    f.add(
        "variation-theme-only",
        {
            "id": "neg-v1",
            "seller": "S1",
            "parties": [{"id": "S1", "kind": "seller"}],
            "products": [
                {"id": "P0", "seller": "S1", "brand": "Acme"},
                {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "SHIRT", "theme": {"size": "M", "color": "red"}},
                {"id": "V2", "seller": "S1", "brand": " acme ", "parent": "P0", "product_type": "shirt", "theme": {"size": "L", "color": "blue"}},
                {"id": "V3", "seller": "S1", "brand": "ACME", "parent": "P0", "product_type": "Shirt ", "theme": {"size": "XL", "count": 3}},
            ],
        },
        [],
        note="case and surrounding spaces are ignored; theme attributes never compared",
    )
    f.add(
        "variation-added-true-variation",
        {
            "id": "neg-v2",
            "seller": "S1",
            "parties": [{"id": "S1", "kind": "seller"}],
            "products": [
                {"id": "P0", "seller": "S1", "brand": "Acme"},
                {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "SHIRT"},
                {"id": "V2", "seller": "S1", "brand": "Acme", "product_type": "SHIRT"},
            ],
            "catalog_events": [{"kind": "variation_added", "parent": "P0", "child": "V2", "by": "S1", "at": "2026-02-01T00:00:00Z"}],
        },
        [],
    )
    f.add(
        "other-sellers-variation",
        {
            "id": "neg-v3",
            "seller": "S1",
            "parties": [{"id": "S1", "kind": "seller"}, {"id": "S2", "kind": "seller"}],
            "products": [
                {"id": "P0", "seller": "S2", "brand": "Other"},
                {"id": "V1", "seller": "S2", "brand": "Other", "parent": "P0", "product_type": "SHAMPOO"},
                {"id": "V2", "seller": "S2", "brand": "Other", "parent": "P0", "product_type": "FLAT_IRON"},
            ],
        },
        [],
        note="case-level findings of other sellers are left out when the case names a seller",
    )
    f.add(
        "timestamp-space-separator",
        '{"parties":[{"id":"S1","kind":"seller"}],"payments":[{"id":"P","from":"S1","kind":"cash","at":"2026-03-01 10:00:00Z"}]}',
        [],
        note="RFC 3339 section 5.6 allows a space for the T: accepted",
    )
    f.add("empty-case", "{}", [])
    f.add("only-id", '{"id":"neg-empty"}', [])
    f.add("whitespace-around", '  {"id": "neg-ws", "messages": [ ] }  ', [])
    return f


def kinds() -> File:
    """Every kind from its non-text facts (relations, payments, edits, catalog) and mixes."""
    f = File("kinds")
    # RP-01
    f.add("rp01-owner-own-product", graph_case("k1", [P("P1"), A("A1")], [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1")], [rev("R1", "B01", "A1")]), ["RP-01"])
    f.add("rp01-owner-competitor-category", graph_case("k2", [P("P1"), A("A1")], [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1")], [rev("R1", "B02", "A1", 1, "Cheap junk.")]), ["RP-01"])
    f.add(
        "rp01-owner-named-competitor",
        graph_case("k3", [P("P1"), A("A1")], [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1"), rel("competitor", "S3", "S1")], [rev("R1", "B04", "A1", 1)]),
        ["RP-01"],
        note="competitor is symmetric: S3 competitor S1",
    )
    f.add("rp01-seller-owns-account", graph_case("k4", [A("A1")], [rel("owns", "S1", "A1")], [rev("R1", "B01", "A1")]), ["RP-01"])
    f.add(
        "rp01-agency-principal",
        graph_case("k5", [X("X1"), P("P5"), A("A5")], [rel("partner", "S1", "X1"), rel("principal_of", "P5", "X1"), rel("owns", "P5", "A5")], [rev("R1", "B01", "A5")]),
        ["RP-01"],
    )
    f.add(
        "rp01-principal-also-employee",
        graph_case("k6", [P("P1"), A("A1")], [rel("principal_of", "P1", "S1"), rel("employs", "S1", "P1"), rel("owns", "P1", "A1")], [rev("R1", "B01", "A1")]),
        ["RP-01"],
        note="strongest owner group: core",
    )
    # RP-05
    f.add("rp05-employee", graph_case("k7", [P("P2"), A("A2")], [rel("employs", "S1", "P2"), rel("owns", "P2", "A2")], [rev("R1", "B01", "A2")]), ["RP-05"])
    f.add(
        "rp05-employee-spouse",
        graph_case("k8", [P("P2"), P("P3"), A("A3")], [rel("employs", "S1", "P2"), rel("family", "P2", "P3"), rel("owns", "P3", "A3")], [rev("R1", "B01", "A3")]),
        ["RP-05"],
    )
    f.add(
        "rp05-principal-family-reverse",
        graph_case("k9", [P("P1"), P("P3"), A("A3")], [rel("principal_of", "P1", "S1"), rel("family", "P3", "P1"), rel("owns", "P3", "A3")], [rev("R1", "B02", "A3", 1)]),
        ["RP-05"],
        note="family is symmetric; competitor's product by category",
    )
    f.add(
        "rp05-agency-employee",
        graph_case("k10", [X("X1"), P("P6"), A("A6")], [rel("partner", "S1", "X1"), rel("employs", "X1", "P6"), rel("owns", "P6", "A6")], [rev("R1", "B01", "A6")]),
        ["RP-05"],
    )
    # RP-10
    for sig in ["shared_device", "shared_payment", "shared_address", "shared_network", "login", None]:
        f.add(
            f"rp10-controlled-{sig or 'no-signal'}",
            graph_case(f"k11-{sig}", [A("A9")], [rel("controls", "S1", "A9", sig)], [rev("R1", "B01", "A9")]),
            ["RP-10"],
        )
    f.add(
        "rp10-staff-controls",
        graph_case("k12", [P("P2"), A("A9")], [rel("employs", "S1", "P2"), rel("controls", "P2", "A9", "login")], [rev("R1", "B02", "A9", 1)]),
        ["RP-10"],
    )
    f.add(
        "rp10-seller-edits-review",
        graph_case("k13", [P("P1"), A("A1"), A("A3")], [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1")],
                   [rev("R1", "B01", "A3", 2, edits=[{"at": "2026-03-05T10:00:00Z", "by": "A1", "rating": 5, "text": "Great product."}])]),
        ["RP-10"],
    )
    f.add(
        "rp10-staff-removes-review",
        graph_case("k14", [P("P2"), A("A3")], [rel("employs", "S1", "P2")],
                   [rev("R1", "B01", "A3", 1, edits=[{"at": "2026-03-05T10:00:00Z", "by": "P2", "removed": True}])]),
        ["RP-10"],
    )
    f.add(
        "rp10-family-edits-review",
        graph_case("k15", [P("P1"), P("P3"), A("A3")], [rel("principal_of", "P1", "S1"), rel("family", "P1", "P3")],
                   [rev("R1", "B01", "A3", 1, edits=[{"by": "P3", "rating": 5}])]),
        ["RP-10"],
    )
    # RP-04 by membership
    f.add(
        "rp04-club-member",
        graph_case("k16", [X("X2"), A("A4")], [rel("partner", "S1", "X2"), rel("member", "A4", "X2")], [rev("R1", "B01", "A4")]),
        ["RP-04"],
    )
    f.add(
        "rp04-member-of-unrelated-club",
        graph_case("k17", [X("X2"), A("A4")], [rel("member", "A4", "X2")], [rev("R1", "B01", "A4")]),
        [],
    )
    # RP-02 / RP-03 by payments
    f.add(
        "rp02-linked-payment",
        graph_case("k18", [A("A1")], [], [rev("R1", "B01", "A1", 5, created_at="2026-03-01T10:00:00Z")],
                   payments=[{"id": "PAY1", "from": "S1", "to": "A1", "kind": "gift_card", "amount": "15.00", "currency": "USD", "at": "2026-03-02T10:00:00Z", "review": "R1"}]),
        ["RP-02"],
    )
    for pk in ["refund", "reimbursement", "gift_card", "cash", "free_product", "discount", "coupon", "cashback"]:
        f.add(
            f"rp03-{pk}-then-removed",
            graph_case(f"k19-{pk}", [A("A2")], [], [rev("R1", "B01", "A2", 1, "Broke after a week.", created_at="2026-03-01T10:00:00Z",
                                                        edits=[{"at": "2026-03-06T10:00:00Z", "by": "A2", "removed": True}])],
                       payments=[{"id": "PAY1", "from": "S1", "to": "A2", "kind": pk, "amount": "30.00", "at": "2026-03-04T09:00:00Z", "review": "R1"}]),
            ["RP-03"],
        )
    f.add(
        "rp03-payment-then-raised",
        graph_case("k20", [A("A2")], [], [rev("R1", "B01", "A2", 2, created_at="2026-03-01T10:00:00+02:00",
                                              edits=[{"at": "2026-03-06T10:00:00-05:00", "by": "A2", "rating": 5}])],
                   payments=[{"id": "PAY1", "from": "S1", "to": "A2", "kind": "refund", "amount": "12.5", "at": "2026-03-04T09:00:00Z", "review": "R1"}]),
        ["RP-03"],
    )
    f.add(
        "rp03-payment-untimed-then-raised",
        graph_case("k21", [A("A2")], [], [rev("R1", "B01", "A2", 1, edits=[{"by": "A2", "rating": 4}])],
                   payments=[{"id": "PAY1", "from": "S1", "to": "A2", "kind": "refund", "review": "R1"}]),
        ["RP-03"],
        note="a linked payment with no timestamps comes before the edits",
    )
    f.add(
        "rp02-payment-after-raise",
        graph_case("k22", [A("A2")], [], [rev("R1", "B01", "A2", 2, created_at="2026-03-01T10:00:00Z",
                                              edits=[{"at": "2026-03-02T10:00:00Z", "by": "A2", "rating": 5}])],
                   payments=[{"id": "PAY1", "from": "S1", "to": "A2", "kind": "gift_card", "amount": "10", "at": "2026-03-04T09:00:00Z", "review": "R1"}]),
        ["RP-02"],
        note="the raise came before the payment: a payment for the review, not for its change",
    )
    # RP-02 by review disclosure
    for i, t in enumerate([
        "I received this product for free in exchange for my honest review.",
        "The seller sent me this at a discount in exchange for a review.",
        "I got paid $10 to write this review.",
    ], 1):
        f.add(f"rp02-disclosure-{i}", review_case(f"k23-{i}", t), ["RP-02"])
    f.add("rp02-disclosure-in-title", review_case("k24", "Works fine.", title="Free product in exchange for my review"), ["RP-02"])
    # RP-08
    fam = lambda cid, kids, **more: {  # noqa: E731
        "id": cid,
        "seller": "S1",
        "parties": [{"id": "S1", "kind": "seller"}],
        "products": [{"id": "P0", "seller": "S1", "brand": "Acme"}] + kids,
        **more,
    }
    f.add("rp08-product-types", fam("k25", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "SHAMPOO", "category": "beauty/hair"},
        {"id": "V2", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "HAIR_STRAIGHTENER", "category": "beauty/tools"},
    ]), ["RP-08"])
    f.add("rp08-brands", fam("k26", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "SHIRT"},
        {"id": "V2", "seller": "S1", "brand": "Zenith", "parent": "P0", "product_type": "SHIRT"},
    ]), ["RP-08"])
    f.add("rp08-category-fallback", fam("k27", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "category": "kitchen/knives"},
        {"id": "V2", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "KNIFE", "category": "garden/hoses"},
    ]), ["RP-08"], note="not every sibling has a product_type: compare categories")
    f.add("rp08-three-kids", fam("k28", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "MUG", "theme": {"color": "red"}},
        {"id": "V2", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "MUG", "theme": {"color": "blue"}},
        {"id": "V3", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "TEAPOT", "theme": {"color": "red"}},
    ]), ["RP-08"])
    f.add("rp08-event-added", fam("k29", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "MUG"},
        {"id": "V2", "seller": "S1", "brand": "Acme", "product_type": "TEAPOT"},
    ], catalog_events=[{"kind": "variation_added", "parent": "P0", "child": "V2", "by": "S1", "at": "2026-02-01T00:00:00Z"}]), ["RP-08"])
    f.add("rp08-event-added-empty-family", fam("k30", [
        {"id": "V2", "seller": "S1", "brand": "Zenith", "product_type": "TEAPOT"},
    ], catalog_events=[{"kind": "variation_added", "parent": "P0", "child": "V2"}]), ["RP-08"],
        note="a family with no other child compares with its parent")
    f.add("rp08-family-merged", fam("k31", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "MUG"},
        {"id": "Q0", "seller": "S1", "brand": "Acme"},
        {"id": "W1", "seller": "S1", "brand": "Acme", "parent": "Q0", "product_type": "PHONE_CASE"},
    ], catalog_events=[{"kind": "family_merged", "parent": "P0", "other_parent": "Q0", "by": "S1"}]), ["RP-08"])
    f.add("rp08-variation-removed", fam("k32", [
        {"id": "V1", "seller": "S1", "brand": "Acme", "parent": "P0", "product_type": "MUG"},
        {"id": "V2", "seller": "S1", "brand": "Acme", "product_type": "TEAPOT"},
    ], catalog_events=[{"kind": "variation_removed", "parent": "P0", "child": "V2"}]), [],
        note="removing a child never abuses a family")
    # Text kinds from messages, one each, with a review link where it matters.
    f.add("rp06-with-review", {
        "id": "k33", "seller": "S1", "parties": SELLER_PARTIES,
        "products": [{"id": "B1", "seller": "S1"}], "reviews": [rev("R1", "B1", "A1", 1)],
        "messages": [{"id": "M1", "from": "S1", "to": "A1", "review": "R1", "text": "Would you consider removing your review?"}],
    }, ["RP-06"])
    f.add("rp03-text", message_case("k34", "We will refund you in full if you delete your 1-star review."), ["RP-03", "RP-06"])
    f.add("rp04-text", message_case("k35", "Join our product tester club: share your Amazon profile link and get free products for reviews."), ["RP-02", "RP-04"])
    f.add("rp07-text", message_case("k36", "If you are unhappy, please contact us before leaving a review."), ["RP-07"])
    f.add("rp09-text", message_case("k37", "Love it? Leave us a 5-star review!", channel="package_insert"), ["RP-09"])
    f.add("rp11-text", message_case("k38", "Please leave us a 5-star review!"), ["RP-11"])
    # Everything at once: many subjects, canonical ordering of violations and evidence.
    f.add("all-at-once", {
        "id": "k-all",
        "seller": "S1",
        "parties": [
            {"id": "S1", "kind": "seller", "name": "Acme Store"}, {"id": "S2", "kind": "seller"},
            P("P1"), P("P2"), P("P3"), A("A1"), A("A2"), A("A3"), A("A4"), A("A9"), X("X1"), X("X2"),
        ],
        "relations": [
            rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1"),
            rel("employs", "S1", "P2"), rel("family", "P2", "P3"), rel("owns", "P3", "A3"),
            rel("controls", "S1", "A9", "shared_device"), rel("partner", "S1", "X1"),
            rel("partner", "S1", "X2"), rel("member", "A4", "X2"), rel("competitor", "S1", "S2"),
        ],
        "products": [
            {"id": "B01", "seller": "S1", "brand": "Acme", "category": "kitchen/knives", "product_type": "KNIFE", "parent": "B00", "theme": {"color": "black"}},
            {"id": "B05", "seller": "S1", "brand": "Acme", "category": "kitchen/knives", "product_type": "SHARPENER", "parent": "B00"},
            {"id": "B00", "seller": "S1", "brand": "Acme"},
            {"id": "B02", "seller": "S2", "brand": "Other", "category": "garden/hoses"},
        ],
        "reviews": [
            rev("R1", "B01", "A1", 5, "Best knife ever!", created_at="2026-03-01T10:00:00Z"),
            rev("R2", "B02", "A3", 1, "Leaks everywhere."),
            rev("R3", "B01", "A9", 5, "I got this knife free in exchange for my review."),
            rev("R4", "B01", "A4", 5),
            rev("R5", "B05", "A2", 1, "Dull.", created_at="2026-03-01T10:00:00Z",
                edits=[{"at": "2026-03-03T10:00:00Z", "by": "A2", "rating": 5, "text": "Great after all."}]),
        ],
        "messages": [
            {"id": "M1", "channel": "package_insert", "text": "Love it? Leave us a ⭐⭐⭐⭐⭐ review!"},
            {"id": "M2", "from": "P2", "to": "A2", "review": "R5", "text": "We will refund you if you change your review to 5 stars.", "sent_at": "2026-03-02T09:00:00Z", "locale": "en"},
        ],
        "payments": [{"id": "PAY1", "from": "S1", "to": "A2", "kind": "refund", "amount": "25.00", "currency": "USD", "method": "paypal", "at": "2026-03-02T12:00:00Z", "review": "R5", "note": "refund"}],
    }, ["RP-01", "RP-02", "RP-03", "RP-04", "RP-05", "RP-06", "RP-08", "RP-09", "RP-10"],
        note="M2 asks for a change to 5 stars: RP-03 and RP-06 (a change request, not a new review: no RP-11)")
    return f


def relations() -> File:
    """Relation graphs: the paths in the evidence (shortest, then smallest), list order."""
    f = File("relations")
    chain = [
        rel("partner", "S1", "X1"), rel("principal_of", "P5", "X1"), rel("family", "P5", "P6"), rel("owns", "P6", "A6"),
    ]
    f.add("agency-principal-family", graph_case("g1", [X("X1"), P("P5"), P("P6"), A("A6")], chain, [rev("R1", "B01", "A6")]), ["RP-05"])
    f.add("agency-principal-family-reordered", graph_case("g1r", [A("A6"), P("P6"), P("P5"), X("X1")], list(reversed(chain)), [rev("R1", "B01", "A6")]), ["RP-05"],
          note="same facts, lists reversed: same decision except the case id")
    two_paths = [
        rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1"),
        rel("employs", "S1", "P2"), rel("owns", "P2", "A1"),
    ]
    f.add("two-owners-core-wins", graph_case("g2", [P("P1"), P("P2"), A("A1")], two_paths, [rev("R1", "B01", "A1")]), ["RP-01"])
    f.add("two-paths-smallest", graph_case("g3", [P("P1"), P("P0"), A("A1")],
          [rel("principal_of", "P1", "S1"), rel("principal_of", "P0", "S1"), rel("owns", "P1", "A1"), rel("owns", "P0", "A1")],
          [rev("R1", "B01", "A1")]), ["RP-01"], note="equal lengths: the lexicographically smallest path")
    f.add("staff-family-and-control", graph_case("g4", [P("P2"), P("P3"), A("A3")],
          [rel("employs", "S1", "P2"), rel("family", "P2", "P3"), rel("owns", "P3", "A3"), rel("controls", "P2", "A3", "shared_network")],
          [rev("R1", "B01", "A3")]), ["RP-05"], note="owned by family: controlled accounts are those no seller-side party owns")
    f.add("many-reviews", graph_case("g5", [P("P1"), P("P2"), A("A1"), A("A2"), A("A7")],
          [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1"), rel("employs", "S1", "P2"), rel("owns", "P2", "A2")],
          [rev("R3", "B02", "A2", 1), rev("R1", "B01", "A1"), rev("R2", "B01", "A7"), rev("R10", "B01", "A2"), rev("R4", "B04", "A1")]),
          ["RP-01", "RP-05"], note="violations sorted by subject; R4 is an unrelated product")
    f.add("no-seller-named", graph_case("g6", [P("P1"), P("P8"), A("A1"), A("A8")],
          [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1"), rel("principal_of", "P8", "S2"), rel("owns", "P8", "A8")],
          [rev("R1", "B01", "A1"), rev("R2", "B02", "A8"), rev("R3", "B01", "A8")], seller=None),
          ["RP-01"], note="every seller evaluated: S1 and S2 (competitors by category) each self-review")
    f.add("seller-s2-named", graph_case("g7", [P("P1"), P("P8"), A("A1"), A("A8")],
          [rel("principal_of", "P1", "S1"), rel("owns", "P1", "A1"), rel("principal_of", "P8", "S2"), rel("owns", "P8", "A8")],
          [rev("R1", "B01", "A1"), rev("R2", "B02", "A8")], seller="S2"),
          ["RP-01"])
    f.add("long-chain", graph_case("g8", [X("X1"), X("X3"), P("P5"), P("P7"), A("A7")],
          [rel("partner", "S1", "X1"), rel("employs", "X1", "P5"), rel("family", "P5", "P7"), rel("owns", "P7", "A7")],
          [rev("R1", "B02", "A7", 1)]), ["RP-05"])
    f.add("partner-person", graph_case("g9", [P("P9"), A("A9")],
          [rel("partner", "S1", "P9"), rel("owns", "P9", "A9")], [rev("R1", "B01", "A9")]), ["RP-01"],
          note="a person hired as a partner is core")
    f.add("unicode-ids", graph_case("g10", [P("Jürgen"), A("アカウント1")],
          [rel("principal_of", "Jürgen", "S1"), rel("owns", "Jürgen", "アカウント1")], [rev("レビュー1", "B01", "アカウント1")]), ["RP-01"])
    f.add("escaped-ids", graph_case("g11", [P('P "one"'), A("A\\1")],
          [rel("principal_of", 'P "one"', "S1"), rel("owns", 'P "one"', "A\\1")], [rev("R/1", "B01", "A\\1")]), ["RP-01"])
    return f


def wording() -> File:
    """POLICY.md's wordings one by one: each form of compensation, of request and of diversion,
    and near-misses that only share words with them."""
    f = File("wording")
    probes = [
        ("giveaway", "Leave a review to enter our monthly giveaway!", ["RP-02"]),
        ("upgrade", "Review us and get a free upgrade to premium.", ["RP-02"]),
        ("helpful-vote", "Vote our reviews as helpful and get a coupon.", ["RP-02"]),
        ("swap", "Let's swap reviews: I review your product, you review mine.", ["RP-02"]),
        ("cashback", "Get 100% cashback after posting your review.", ["RP-02"]),
        ("free-product", "We send free products to customers who review them.", ["RP-02"]),
        ("discount-positive", "Get 20% off your next order when you leave a positive review!", ["RP-02", "RP-11"]),
        ("only-happy", "If you love it, tell the world in a review; if not, tell us.", ["RP-07", "RP-11"]),
        ("ja-diversion", "問題があればレビューを書く前にご連絡ください。", ["RP-07"]),
        ("es-diversion", "Si tiene algún problema, contáctenos antes de dejar una reseña.", ["RP-07"]),
        ("de-refund-delete", "Wir erstatten Ihnen den Kaufpreis, wenn Sie Ihre Bewertung löschen.", ["RP-03", "RP-06"]),
        ("it-club", "Unisciti al nostro club di tester: prodotti gratuiti in cambio di recensioni.", ["RP-02", "RP-04"]),
        ("insert-if-love", "If you love it, review it!", ["RP-09"], "package_insert"),
        # Known issues until 2f6fbe1 (French 'please' read as 'if you like it'; a gerund
        # rating-change request missed as RP-06).
        ("fr-sil-vous-plait-delete", "Pourriez-vous supprimer votre avis négatif, s'il vous plaît ?", ["RP-06"]),
        ("fr-sil-vous-plait-update", "Pouvez-vous mettre à jour votre avis, s'il vous plaît ?", ["RP-06"]),
        ("raise-rating", "Would you mind bumping your rating to 5 stars?", ["RP-06"]),
        ("neg-never-change", "We never ask customers to change their reviews.", []),
        ("neg-giveaway", "Enter our giveaway! No purchase or review necessary.", []),
        ("neg-fr-sil-vous-plait", "Laissez-nous un avis honnête sur votre achat, s'il vous plaît.", []),
        ("neg-update-address", "Please update your shipping address before we ship.", []),
        ("neg-remove-film", "Please remove the protective film before use.", []),
        ("neg-de-bitte", "Bitte geben Sie uns eine ehrliche Bewertung, ob gut oder schlecht.", []),
        ("neg-ja-contact", "商品に問題があればお気軽にご連絡ください。", []),
        ("neg-insert-support", "Questions? Email us at help@example.com.", [], "package_insert"),
    ]
    for p in probes:
        name, text, codes = p[:3]
        f.add(name, message_case(f"w-{name}", text, channel=p[3] if len(p) > 3 else None), codes)
    return f


def errors() -> File:
    f = File("errors")
    E = lambda code, loc=None: {"error": code, **({"location": loc} if loc else {})}  # noqa: E731
    PART = '"parties":[{"id":"S1","kind":"seller"},{"id":"A1","kind":"customer_account"}]'
    PROD = '"products":[{"id":"B1","seller":"S1"}]'
    # invalid_json: the location is `line L column C`
    for name, text, loc in [
        ("truncated", '{"id":"e1","parties":[', "line 1 column 22"),
        ("unclosed-array", "[1", "line 1 column 2"),
        ("trailing-garbage", '{"id":"e2"} x', "line 1 column 13"),
        ("two-objects", '{"id":"e3"}{"id":"e4"}', "line 1 column 12"),
        ("single-quotes", "{'id':'e5'}", "line 1 column 2"),
        ("trailing-comma", '{"id":"e6",}', "line 1 column 12"),
        ("bare-word", "not json", "line 1 column 2"),
        ("bad-escape", '{"id":"e\\q"}', None),
        ("lone-surrogate-escape", '{"id":"\\ud800"}', None),
        ("control-char-escape-missing", '{"id":"a\tb"}', None),
        ("nan", '{"id":"e7","reviews":[{"id":"R","product":"B","author":"A","rating":NaN}]}', None),
        ("unclosed-string", '{"id":"e8', None),
        ("comment", '{"id":"e9"} // note', None),
        ("just-a-brace", "}", None),
    ]:
        f.add(f"invalid-json-{name}", text, E("invalid_json", loc))
    # invalid_value: types and enumerations
    for name, text, loc in [
        ("root-string", '"case"', "(root)"),
        ("root-number", "42", "(root)"),
        ("root-null", "null", "(root)"),
        ("id-number", '{"id":7}', "id"),
        ("seller-number", '{"seller":1}', "seller"),
        ("parties-object", '{"parties":{}}', "parties"),
        ("party-array", '{"parties":[["S1","seller"]]}', "parties[0]"),
        ("party-kind", '{"parties":[{"id":"S1","kind":"shop"}]}', "parties[0].kind"),
        ("relation-kind", '{' + PART + ',"relations":[{"kind":"likes","from":"S1","to":"A1"}]}', "relations[0].kind"),
        ("signal", '{' + PART + ',"relations":[{"kind":"controls","from":"S1","to":"A1","signal":"telepathy"}]}', "relations[0].signal"),
        ("channel", '{"messages":[{"id":"M","text":"hi","channel":"fax"}]}', "messages[0].channel"),
        ("text-number", '{"messages":[{"id":"M","text":5}]}', "messages[0].text"),
        ("text-null", '{"messages":[{"id":"M","text":null}]}', "messages[0].text"),
        ("rating-string", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","rating":"5"}]}', "reviews[0].rating"),
        ("rating-float", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","rating":4.5}]}', "reviews[0].rating"),
        ("program", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","program":"beta"}]}', "reviews[0].program"),
        ("verified-string", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","verified_purchase":"yes"}]}', "reviews[0].verified_purchase"),
        ("edit-removed-string", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","edits":[{"removed":"true"}]}]}', "reviews[0].edits[0].removed"),
        ("payment-kind", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"bitcoin"}]}', "payments[0].kind"),
        ("amount-number", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash","amount":10}]}', "payments[0].amount"),
        ("event-kind", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"variation_renamed","parent":"P0"}]}', "catalog_events[0].kind"),
        ("theme-array", '{"products":[{"id":"P0","theme":["red"]}]}', "products[0].theme"),
        ("edits-object", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","edits":{}}]}', "reviews[0].edits"),
    ]:
        f.add(f"invalid-value-{name}", text, E("invalid_value", loc))
    # unknown_field
    for name, text, loc in [
        ("root", '{"idd":"x"}', "idd"),
        ("expect-metadata", '{"id":"e","expect":[]}', "expect"),
        ("party", '{"parties":[{"id":"S1","kind":"seller","email":"x@example.com"}]}', "parties[0].email"),
        ("relation", '{' + PART + ',"relations":[{"kind":"owns","from":"S1","to":"A1","since":"2020"}]}', "relations[0].since"),
        ("product", '{"products":[{"id":"B1","price":"9.99"}]}', "products[0].price"),
        ("review", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","txt":"typo"}]}', "reviews[0].txt"),
        ("edit", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","edits":[{"by":"A1","comment":"x"}]}]}', "reviews[0].edits[0].comment"),
        ("message", '{"messages":[{"id":"M","text":"hi","title":"Hello"}]}', "messages[0].title"),
        ("payment", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash","memo":"x"}]}', "payments[0].memo"),
        ("event", '{"products":[{"id":"P0"},{"id":"P1"}],"catalog_events":[{"kind":"variation_added","parent":"P0","child":"P1","reason":"x"}]}', "catalog_events[0].reason"),
        ("second-message", '{"messages":[{"id":"M1","text":"hi"},{"id":"M2","text":"hi","Text":"x"}]}', "messages[1].Text"),
        ("unicode-name", '{"ïd":"x"}', "ïd"),
    ]:
        f.add(f"unknown-field-{name}", text, E("unknown_field", loc))
    # missing_field
    for name, text, loc in [
        ("party-id", '{"parties":[{"kind":"seller"}]}', "parties[0].id"),
        ("party-kind", '{"parties":[{"id":"S1"}]}', "parties[0].kind"),
        ("relation-to", '{' + PART + ',"relations":[{"kind":"owns","from":"S1"}]}', "relations[0].to"),
        ("relation-kind", '{' + PART + ',"relations":[{"from":"S1","to":"A1"}]}', "relations[0].kind"),
        ("product-id", '{"products":[{"seller":"S1"}]}', "products[0].id"),
        ("review-author", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1"}]}', "reviews[0].author"),
        ("review-product", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","author":"A1"}]}', "reviews[0].product"),
        ("message-text", '{"messages":[{"id":"M"}]}', "messages[0].text"),
        ("message-id", '{"messages":[{"text":"hi"}]}', "messages[0].id"),
        ("payment-kind", '{' + PART + ',"payments":[{"id":"P","from":"S1"}]}', "payments[0].kind"),
        ("payment-from", '{' + PART + ',"payments":[{"id":"P","kind":"cash"}]}', "payments[0].from"),
        ("event-child", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"variation_added","parent":"P0"}]}', "catalog_events[0].child"),
        ("event-removed-child", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"variation_removed","parent":"P0"}]}', "catalog_events[0].child"),
        ("event-other-parent", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"family_merged","parent":"P0"}]}', "catalog_events[0].other_parent"),
        ("event-parent", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"variation_added","child":"P0"}]}', "catalog_events[0].parent"),
    ]:
        f.add(f"missing-field-{name}", text, E("missing_field", loc))
    # duplicate_id
    for name, text, loc in [
        ("parties", '{"parties":[{"id":"S1","kind":"seller"},{"id":"S1","kind":"seller"}]}', "parties[1].id"),
        ("parties-third", '{"parties":[{"id":"S1","kind":"seller"},{"id":"A1","kind":"customer_account"},{"id":"A1","kind":"person"}]}', "parties[2].id"),
        ("products", '{"products":[{"id":"B1"},{"id":"B1"}]}', "products[1].id"),
        ("reviews", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1"},{"id":"R","product":"B1","author":"A1"}]}', "reviews[1].id"),
        ("messages", '{"messages":[{"id":"M","text":"a"},{"id":"M","text":"b"}]}', "messages[1].id"),
        ("payments", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash"},{"id":"P","from":"S1","kind":"coupon"}]}', "payments[1].id"),
    ]:
        f.add(f"duplicate-id-{name}", text, E("duplicate_id", loc))
    # dangling_reference
    for name, text, loc in [
        ("seller", '{"seller":"S9"}', "seller"),
        ("relation-from", '{' + PART + ',"relations":[{"kind":"owns","from":"P9","to":"A1"}]}', "relations[0].from"),
        ("relation-to", '{' + PART + ',"relations":[{"kind":"owns","from":"S1","to":"A9"}]}', "relations[0].to"),
        ("product-seller", '{' + PART + ',"products":[{"id":"B1","seller":"S9"}]}', "products[0].seller"),
        ("review-product", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B2","author":"A1"}]}', "reviews[0].product"),
        ("review-author", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A9"}]}', "reviews[0].author"),
        ("edit-by", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","edits":[{"by":"A1"},{"by":"P9"}]}]}', "reviews[0].edits[1].by"),
        ("message-from", '{' + PART + ',"messages":[{"id":"M","from":"X","text":"hi"}]}', "messages[0].from"),
        ("message-to", '{' + PART + ',"messages":[{"id":"M","from":"S1","to":"A2","text":"hi"}]}', "messages[0].to"),
        ("message-review", '{' + PART + ',"messages":[{"id":"M","text":"hi","review":"R1"}]}', "messages[0].review"),
        ("payment-from", '{' + PART + ',"payments":[{"id":"P","from":"S2","kind":"cash"}]}', "payments[0].from"),
        ("payment-to", '{' + PART + ',"payments":[{"id":"P","from":"S1","to":"A7","kind":"cash"}]}', "payments[0].to"),
        ("payment-review", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash","review":"R7"}]}', "payments[0].review"),
        ("event-parent", '{"products":[{"id":"P1"}],"catalog_events":[{"kind":"variation_added","parent":"P0","child":"P1"}]}', "catalog_events[0].parent"),
        ("event-child", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"variation_added","parent":"P0","child":"P1"}]}', "catalog_events[0].child"),
        ("event-other-parent", '{"products":[{"id":"P0"}],"catalog_events":[{"kind":"family_merged","parent":"P0","other_parent":"Q0"}]}', "catalog_events[0].other_parent"),
        ("event-by", '{"products":[{"id":"P0"},{"id":"P1"}],"catalog_events":[{"kind":"variation_added","parent":"P0","child":"P1","by":"S1"}]}', "catalog_events[0].by"),
        ("case-sensitive", '{' + PART + ',"relations":[{"kind":"owns","from":"s1","to":"A1"}]}', "relations[0].from"),
    ]:
        f.add(f"dangling-reference-{name}", text, E("dangling_reference", loc))
    # rating_out_of_range
    for name, rating, loc in [("zero", "0", "reviews[0].rating"), ("six", "6", "reviews[0].rating"), ("negative", "-1", "reviews[0].rating"),
                              ("huge", "9007199254740993", "reviews[0].rating")]:
        f.add(f"rating-{name}", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","rating":' + rating + '}]}', E("rating_out_of_range", loc))
    f.add("rating-edit", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","rating":3,"edits":[{"rating":4},{"rating":10}]}]}',
          E("rating_out_of_range", "reviews[0].edits[1].rating"))
    f.add("rating-second-review", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","rating":1},{"id":"R2","product":"B1","author":"A1","rating":0}]}',
          E("rating_out_of_range", "reviews[1].rating"))
    # invalid_timestamp
    for name, text, loc in [
        ("review-created", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","created_at":"yesterday"}]}', "reviews[0].created_at"),
        ("review-date-only", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","created_at":"2026-03-01"}]}', "reviews[0].created_at"),
        ("review-no-offset", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","created_at":"2026-03-01T10:00:00"}]}', "reviews[0].created_at"),
        ("review-feb-30", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","created_at":"2026-02-30T10:00:00Z"}]}', "reviews[0].created_at"),
        ("edit-at", '{' + PART + ',' + PROD + ',"reviews":[{"id":"R","product":"B1","author":"A1","edits":[{"at":"2026-13-01T00:00:00Z"}]}]}', "reviews[0].edits[0].at"),
        ("message-sent", '{"messages":[{"id":"M","text":"hi","sent_at":"Mon, 02 Mar 2026 09:00:00 GMT"}]}', "messages[0].sent_at"),
        ("payment-at", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash","at":"2026-03-01T25:00:00Z"}]}', "payments[0].at"),
        ("event-at", '{"products":[{"id":"P0"},{"id":"P1"}],"catalog_events":[{"kind":"variation_added","parent":"P0","child":"P1","at":"1772352000"}]}', "catalog_events[0].at"),
        ("empty", '{"messages":[{"id":"M","text":"hi","sent_at":""}]}', "messages[0].sent_at"),
    ]:
        f.add(f"invalid-timestamp-{name}", text, E("invalid_timestamp", loc))
    # invalid_amount
    for name, amount in [("negative", "-3"), ("comma", "1,00"), ("exponent", "1e3"), ("currency-sign", "$10"), ("trailing-dot", "10."),
                         ("leading-dot", ".5"), ("empty", ""), ("spaces", " 10"), ("words", "ten")]:
        f.add(f"invalid-amount-{name}", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash","amount":' + json.dumps(amount) + '}]}',
              E("invalid_amount", "payments[0].amount"))
    f.add("invalid-amount-second", '{' + PART + ',"payments":[{"id":"P","from":"S1","kind":"cash","amount":"1.50"},{"id":"Q","from":"S1","kind":"cash","amount":"1.5.0"}]}',
          E("invalid_amount", "payments[1].amount"))
    # Which error comes first when there are several: validation order is fixed.
    f.add("first-error-wins", '{"seller":"S9","parties":[{"id":"S1","kind":"seller"},{"id":"S1","kind":"seller"}]}', E("duplicate_id", "parties[1].id"))
    f.add("case-id-in-error-line", '{"id":"c-7","reviews":[{"id":"R","product":"B","author":"A"}]}', E("dangling_reference", "reviews[0].product"))
    f.add("case-id-non-string", '{"id":["x"],"seller":"S9"}', E("invalid_value", "id"))
    # limit_exceeded: JSON nesting inside a free-form `theme` (the only place a case nests).
    for depth in (40, 60, 61, 100, 200):
        prefix = '{"id":"deep-' + str(depth) + '","products":[{"id":"P","theme":{"x":'
        text = prefix + "[" * depth + "]" * depth + "}}]}"
        expect = NESTING[depth]
        if expect:
            # The 65th open bracket (the 61st list) is refused, at its byte column.
            expect = {**expect, "location": f"line 1 column {len(prefix) + 61}"}
        f.add(f"nesting-{depth}", text, expect)
    return f


# What the engine does with nesting inside `theme` (the list brackets plus 4 levels of case):
# serde_json's own recursion limit is 128 levels.
# The depth limit (64 levels by default) counts the case object, `products`, the product and
# `theme`: 60 lists inside `theme` are the deepest case accepted.
DEEP = {"error": "limit_exceeded"}
NESTING = {40: [], 60: [], 61: DEEP, 100: DEEP, 200: DEEP}


def known_issues() -> None:
    """Entries where the engine disagrees with POLICY.md: run by `conformance issues`, never
    blessed, not part of the corpus the runtimes compare."""
    f = File("known-issues")
    # None open: the last one (spaced letters swallowing the article "a") moved to obfuscations.
    with open(HERE / "known-issues.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for e in f.entries:
            out.write(json.dumps(e, ensure_ascii=False) + "\n")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    files = [kinds(), relations(), channels(), languages(), obfuscations(), negatives(), wording(), errors()]
    for f in files:
        f.write()
    known_issues()
    total = sum(len(f.entries) for f in files)
    pos = sum(1 for f in files for e in f.entries if isinstance(e["expect"], list) and e["expect"])
    neg = sum(1 for f in files for e in f.entries if e["expect"] == [])
    err = sum(1 for f in files for e in f.entries if isinstance(e["expect"], dict))
    for f in files:
        print(f"{f.name}.jsonl: {len(f.entries)}")
    print(f"total {total}: {pos} with violations, {neg} clean, {err} errors")


if __name__ == "__main__":
    main()
