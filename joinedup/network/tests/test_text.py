"""Hostile text: whatever a post holds, what is rendered runs nothing, links nowhere dangerous,
and the page holding it renders with the words escaped."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.network import posts
from joinedup.network.models import PostingWindow
from joinedup.network.text import clean_typed, plain_text, render

from .posts_data import community

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    "<svg/onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](DATA:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox(1))",
    "[click](VbScRiPt:msgbox(1))",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "![img](javascript:alert(1))",
    '[x](https://example.org "onmouseover=alert(1)")',
    '[x](https://example.org" onmouseover="alert(1))',
    "**<b onmouseover=alert(1)>bold</b>**",
    "> <iframe src=javascript:alert(1)></iframe>",
    "- [a](javascript:alert(1))\n- <style>*{display:none}</style>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "[a]: javascript:alert(1)\n\n[a]",
    "<!-- <script>alert(1)</script> -->",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "\x00<script>\x00alert(1)</script>",
    "Right\u202eoverride\u202c and \u2066isolate\u2069",
]


def _harmless(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<iframe" not in lowered and "<svg" not in lowered and "<img" not in lowered
    assert "<style" not in lowered and not re.search(r"<[^>]*\sstyle\s*=", lowered)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered)
    for scheme in ("javascript:", "vbscript:", "data:"):
        assert f'href="{scheme}' not in lowered
    for href in re.findall(r'href="([^"]*)"', lowered):
        # A relative address ("%6aavascript:...") is harmless; a dangerous scheme is not.
        assert not re.match(r"\s*(javascript|vbscript|data|file):", unescape(href)), href


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_harmless(text):
    _harmless(render(text))


@given(st.text(alphabet=st.sampled_from(list("<>\"'=:/&#;[]()*`-_ \najvscriptonerrorhref"))))
@settings(max_examples=300, deadline=None)
def test_any_mixture_of_markup_characters_renders_harmless(text):
    _harmless(render(text))


def test_control_characters_and_direction_overrides_are_removed():
    typed = "a\x00b\x07c\x1bd\x7fe\x85f\u202eg\u2066h\u2069i\u200fj\r\nk\tl"
    assert clean_typed(typed) == "abcdefghij\nk\tl"
    assert "\u202e" not in render(typed) and "\x00" not in render(typed)


def test_a_link_keeps_its_words_and_gets_a_safe_rel():
    html = render("[the guide](https://example.org/guide?a=1&b=2)")
    assert 'href="https://example.org/guide?a=1&amp;b=2"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_plain_text_of_a_hostile_post_has_no_markup():
    assert "<" not in plain_text("**bold** [x](javascript:alert(1))").replace("&lt;", "")


def test_a_20000_character_word_renders_whole():
    word = "a" * 20_000
    assert render(word) == f"<p>{word}</p>\n"


@pytest.mark.django_db
def test_an_enormous_post_is_refused_and_one_at_the_limit_is_kept(world):
    space = community(world)
    with pytest.raises(posts.PostRefused) as refused:
        posts.start_thread(world.actor("own_staff"), space, "Big", "word " * 5_000)
    assert refused.value.field == "body"
    thread = posts.start_thread(world.actor("own_staff"), space, "Big", "w" * 20_000)
    assert len(thread.posts.get().body_html) > 20_000


@pytest.mark.django_db
def test_pages_holding_hostile_posts_render_with_the_text_escaped(world, client_for):
    space = community(world)
    actor = world.actor("own_staff")
    thread = posts.start_thread(actor, space, '<script>alert("title")</script>', HOSTILE[0])
    for text in HOSTILE[1:]:
        PostingWindow.objects.all().delete()  # so many posts at once would meet the rate limit
        posts.reply(world.actor("partner_staff"), thread, text)
    response = client_for("space_moderator").get(reverse("network:thread", args=[thread.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    body = page.split("<main", 1)[1]
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert not re.search(r"<[^>]*\son(error|load|click|mouseover)\s*=", body.lower())
    assert 'href="javascript:' not in body.lower()
    assert "\u202e" not in page
