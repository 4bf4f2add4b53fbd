"""Pages written for these tests (invented story, invented places and people)."""

LIVE_BLOG = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour strike live: dockers and port authority trade claims | Test Gazette</title>
<meta property="og:title" content="Harbour strike live: dockers and port authority trade claims">
<meta property="article:published_time" content="2030-06-12T06:00:00+01:00">
<link rel="canonical" href="/live/harbour-strike">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "LiveBlogPosting",
 "headline": "Harbour strike live", "datePublished": "2030-06-12T06:00:00+01:00"}</script>
</head><body>
<nav class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/weather">Weather</a> <a href="/jobs">Jobs</a></nav>
<div class="advert">SPECIAL OFFER: Subscribe to the Test Gazette for one coin a week, cancel whenever you like!</div>
<main><h1>Harbour strike live: dockers and port authority trade claims</h1>
<p class="lead">Dockers at the port of Lindmere walked out at dawn, and both sides have spent the morning disputing
how many ships are stuck outside the harbour wall.</p>
<div class="live-post" id="p3">
  <div class="post-meta"><time datetime="2030-06-12T11:20:00+01:00">11:20</time></div>
  <h2>Port authority says half the berths are working</h2>
  <p>The port authority said half of the berths were still working and that only four ships were waiting.</p>
  <p>"The harbour is open and cargo is moving," authority director Petra Lund told reporters.</p>
  <div class="social">Share this post on Twitter Facebook Email</div>
</div>
<div class="live-post" id="p2">
  <div class="post-meta"><time datetime="2030-06-12T09:45:00+01:00">09:45</time></div>
  <h2>Union says no ship has been unloaded since dawn</h2>
  <p>The dockers' union said no ship had been unloaded since the strike began at six o'clock.</p>
  <p>Union secretary Arno Vell said the authority's figures were "pure fiction".</p>
</div>
<div class="live-post" id="p1">
  <div class="post-meta"><time datetime="2030-06-12T07:05:00+01:00">07:05</time></div>
  <h2>Strike begins at the port of Lindmere</h2>
  <p>Pickets gathered at the main gate of the port before dawn, with union flags on every fence post.</p>
  <p>Vell said the strike would last until the authority withdrew its plan to cut night shifts.</p>
</div>
</main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Ten gardens to visit this summer</a></li>
<li><a href="/b">A recipe for rain-day soup</a></li></ul></aside>
<footer>Test Gazette, all rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>
"""

# the same story in a flat layout: time marks are siblings of the headings, no element per update
FLAT_BLOG = """<html><head><title>Harbour strike, flat layout</title>
<meta name="date" content="2030-06-12"></head><body><article>
<h1>Harbour strike, flat layout</h1>
<p>Dockers at the port of Lindmere walked out at dawn, and both sides have disputed the figures since then.</p>
<time>11:20</time><h2>Port authority says half the berths are working</h2>
<p>The port authority said half of the berths were still working and that only four ships were waiting.</p>
<time>09:45</time><h2>Union says no ship has been unloaded since dawn</h2>
<p>The dockers' union said no ship had been unloaded since the strike began at six o'clock in the morning.</p>
</article></body></html>
"""

# updates without headlines: each is a dated block with its own paragraphs
HEADLESS_BLOG = """<html><head><title>Harbour strike minute by minute</title>
<meta property="article:published_time" content="2030-06-12T06:00:00Z"></head><body><main>
<h1>Harbour strike minute by minute</h1>
<div class="block" data-timestamp="1907490000"><span class="when">10:20</span>
<p>The port authority said half of the berths were still working and that only four ships were waiting.</p></div>
<div class="block" data-timestamp="1907484300"><span class="when">08:45</span>
<p>The dockers' union said no ship had been unloaded since the strike began at six o'clock in the morning.</p></div>
<div class="block" data-timestamp="1907475900"><span class="when">06:25</span>
<p>Pickets gathered at the main gate of the port before dawn, with union flags on every fence post there.</p></div>
</main></body></html>
"""

ARTICLE_TEXT = (
    "The dockers' union said on Wednesday that no ship had been unloaded at the port of Lindmere since the strike "
    "began, and that the port authority's figures were wrong.\n"
    "The port authority said half of the berths were still working and that only four ships were waiting.\n"
)
