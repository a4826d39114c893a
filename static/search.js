/* haru search: the index is static files written by the build (src/search.rs says how).
   Nothing is fetched until the reader types. Terms follow the build's rules: Hangul bigrams,
   lowercased ASCII words matched by prefix, initials (초성) of titles, headings and tags,
   and `#slug` terms for tags. */
(function () {
  'use strict';
  var script = document.currentScript;
  var form = document.querySelector('form[data-haru-search]');
  var base = (script && script.getAttribute('data-base')) || (form && form.getAttribute('data-haru-search'));
  if (!base) return;
  var CHOSEONG = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
  var BOOST = [0.3, 1, 3, 5]; // code, body, heading, title or tag: a heading's least beats a body's most
  var PREFIX_CHUNKS = 4;

  // --- Text, as the build cuts it -------------------------------------------------------
  function lowerAscii(text) {
    return text.replace(/[A-Z]+/g, function (s) { return s.toLowerCase(); });
  }
  function normalize(text) { return lowerAscii(text.normalize('NFC')); }
  function isSyllable(c) { var n = c.charCodeAt(0); return n >= 0xac00 && n <= 0xd7a3; }
  function initialOf(c) {
    return isSyllable(c) ? CHOSEONG[Math.floor((c.charCodeAt(0) - 0xac00) / 588)] : c;
  }
  function bigrams(run) {
    var pairs = [];
    for (var i = 0; i + 1 < run.length; i++) {
      var pair = run.substr(i, 2);
      if (pairs.indexOf(pair) < 0) pairs.push(pair);
    }
    return pairs;
  }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // A query → clauses, all of which a result must meet.
  function parse(query, tags) {
    var words = normalize(query).split(/\s+/).filter(Boolean);
    var perWord = words.map(function (word) {
      var clauses = [];
      var runs = word.match(/[a-z0-9]+|[\uac00-\ud7a3\u3131-\u314e]+/g) || [];
      runs.forEach(function (run) {
        if (/^[a-z0-9]/.test(run)) clauses.push({ kind: 'word', text: run.slice(0, 40) });
        else if (/[\u3131-\u314e]/.test(run)) clauses.push({ kind: 'initials', text: run });
        else if (run.length > 1) clauses.push({ kind: 'hangul', text: run });
        // One syllable: alone, the start of a title or heading word; after `S3`, a particle.
        else if (runs.length === 1) clauses.push({ kind: 'initials', text: run });
      });
      return clauses;
    });
    // Words that name a tag (`sqs`, `Simple Queue Service`, or while typing `simple queue`)
    // also find what is tagged with it.
    var clauses = [];
    var at = 0;
    while (at < words.length) {
      var best = null;
      for (var end = words.length; end > at && !best; end--) {
        var span = words.slice(at, end).join(' ');
        var atEnd = end === words.length && end - at >= 2;
        var slugs = [], names = [];
        tags.forEach(function (tag) {
          var hit = tag[1].filter(function (name) {
            return name === span || (atEnd && name.indexOf(span) === 0);
          });
          if (hit.length) { slugs.push(tag[0]); names = names.concat(tag[1]); }
        });
        if (slugs.length) best = { end: end, slugs: slugs, names: names };
      }
      if (best) {
        var inner = [].concat.apply([], perWord.slice(at, best.end));
        clauses.push({ kind: 'any', slugs: best.slugs, names: best.names, inner: inner });
        at = best.end;
      } else {
        clauses = clauses.concat(perWord[at]);
        at++;
      }
    }
    return clauses;
  }

  // --- The index -------------------------------------------------------------------------
  var meta = null;
  var chunks = {};
  var fragments = {};
  function url(path) { return base + 'search/' + path + '?' + meta.stamp; }
  function loadMeta() {
    if (!meta) {
      meta = fetch(base + 'search/meta.json', { cache: 'no-cache' })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (loaded) { meta = loaded; return loaded; }, function (error) {
          meta = null; throw error;
        });
    }
    return Promise.resolve(meta);
  }
  function decode(buffer) {
    var bytes = new Uint8Array(buffer), at = 0, terms = {}, decoder = new TextDecoder();
    function varint() {
      var value = 0, shift = 0, byte;
      do { byte = bytes[at++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
      return value;
    }
    while (at < bytes.length) {
      var length = varint();
      var text = decoder.decode(bytes.subarray(at, at + length));
      at += length;
      var count = varint(), documents = new Uint32Array(count), weights = new Uint8Array(count), number = 0;
      for (var i = 0; i < count; i++) {
        number += varint();
        documents[i] = number;
        weights[i] = bytes[at++];
      }
      terms[text] = { documents: documents, weights: weights };
    }
    return terms;
  }
  function chunkOf(term) {
    var low = 0, high = meta.chunks.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (meta.chunks[middle][0] <= term) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }
  function loadChunk(place) {
    var name = meta.chunks[place][1];
    if (!chunks[name]) {
      chunks[name] = fetch(url('index/' + name + '.bin'))
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.arrayBuffer();
        })
        .then(decode);
    }
    return chunks[name];
  }
  function exact(term) {
    var place = chunkOf(term);
    if (place < 0) return Promise.resolve(null);
    return loadChunk(place).then(function (terms) { return terms[term] || null; });
  }
  // Every term starting with `prefix`, as [term, postings].
  function prefixed(prefix) {
    var first = Math.max(chunkOf(prefix), 0), places = [first];
    for (var i = first + 1; i < meta.chunks.length && places.length < PREFIX_CHUNKS; i++) {
      if (meta.chunks[i][0].indexOf(prefix) !== 0) break;
      places.push(i);
    }
    return Promise.all(places.map(loadChunk)).then(function (loaded) {
      var found = [];
      loaded.forEach(function (terms) {
        Object.keys(terms).forEach(function (term) {
          if (term.indexOf(prefix) === 0) found.push([term, terms[term]]);
        });
      });
      return found;
    });
  }

  // --- Matching and ranking -------------------------------------------------------------
  function contribution(postings, i) {
    var documents = meta.documents, frequency = postings.documents.length;
    var idf = Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
    // The low six bits: the entry's count, saturated and normalised for its length (BM25).
    var weight = postings.weights[i];
    return idf * BOOST[weight >> 6] * (0.5 + (weight & 63) / 63);
  }
  function scores(postings, factor, into) {
    for (var i = 0; i < postings.documents.length; i++) {
      var number = postings.documents[i], score = contribution(postings, i) * factor;
      if (!(into.get(number) >= score)) into.set(number, score);
    }
    return into;
  }
  function intersect(maps) {
    if (!maps.length) return new Map();
    maps.sort(function (a, b) { return a.size - b.size; });
    var result = new Map();
    maps[0].forEach(function (score, number) {
      var total = score;
      for (var i = 1; i < maps.length; i++) {
        var other = maps[i].get(number);
        if (other === undefined) return;
        total += other;
      }
      result.set(number, total);
    });
    return result;
  }
  // A clause → Map(document number → score).
  function match(clause) {
    if (clause.kind === 'word') {
      if (clause.text.length < 2) {
        return exact(clause.text).then(function (postings) {
          return postings ? scores(postings, 1, new Map()) : new Map();
        });
      }
      return prefixed(clause.text).then(function (found) {
        var into = new Map();
        found.forEach(function (pair) { scores(pair[1], pair[0] === clause.text ? 1 : 0.7, into); });
        return into;
      });
    }
    if (clause.kind === 'hangul') {
      return Promise.all(bigrams(clause.text).map(exact)).then(function (all) {
        if (all.some(function (postings) { return !postings; })) return new Map();
        return intersect(all.map(function (postings) { return scores(postings, 1, new Map()); }));
      });
    }
    if (clause.kind === 'initials') {
      var key = Array.prototype.map.call(clause.text, initialOf).join('');
      return prefixed(key).then(function (found) {
        var into = new Map();
        found.forEach(function (pair) { scores(pair[1], 1, into); });
        return into;
      });
    }
    // `any`: tagged with one of the slugs, or holding the words themselves.
    var tagged = Promise.all(clause.slugs.map(function (slug) { return exact('#' + slug); }));
    var written = Promise.all(clause.inner.map(match)).then(intersect);
    return Promise.all([tagged, written]).then(function (both) {
      var into = both[1];
      both[0].forEach(function (postings) { if (postings) scores(postings, 1, into); });
      return into;
    });
  }

  // --- Checking a candidate against its text, and the snippet ----------------------------
  function loadFragment(number) {
    if (!fragments[number]) {
      fragments[number] = fetch(url('doc/' + number + '.json.gz')).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.arrayBuffer();
      }).then(function (buffer) {
        // gzip, unless the server already inflated it (a `Content-Encoding: gzip` host).
        var bytes = new Uint8Array(buffer);
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        return new Response(stream).json();
      });
    }
    return fragments[number];
  }
  function wordPattern(prefix) {
    return new RegExp('(^|[^a-z0-9])' + escapeRegExp(prefix) + (prefix.length < 2 ? '(?![a-z0-9])' : ''));
  }
  // The start of each Hangul run of `text` that the initials `pattern` (`ㅅㅂㄹ`, `서버ㄹ`) spell.
  function initialsWords(pattern, text) {
    var runs = normalize(text || '').match(/[\uac00-\ud7a3]+/g) || [];
    return runs.filter(function (run) {
      if (run.length < pattern.length) return false;
      for (var i = 0; i < pattern.length; i++) {
        var wanted = pattern[i], have = run[i];
        if (isSyllable(wanted) ? wanted !== have : initialOf(have) !== wanted) return false;
      }
      return true;
    }).map(function (run) { return run.slice(0, pattern.length); });
  }
  function namedTexts(fragment) {
    return [fragment.title].concat(fragment.tags, fragment.passages.map(function (p) { return p.heading || ''; }));
  }
  function initialsMatch(pattern, text) { return initialsWords(pattern, text).length > 0; }
  function meets(clause, fragment, haystack) {
    if (clause.kind === 'word') return wordPattern(clause.text).test(haystack);
    if (clause.kind === 'hangul') return haystack.indexOf(clause.text) >= 0;
    if (clause.kind === 'initials') {
      return namedTexts(fragment).some(function (text) { return initialsMatch(clause.text, text); });
    }
    return clause.slugs.some(function (slug) { return fragment.tags.indexOf(slug) >= 0; }) ||
      clause.inner.every(function (inner) { return meets(inner, fragment, haystack); });
  }
  // What to mark in a snippet, as one regular expression: the query's words (ASCII ones from
  // a word's start, as they match), and `words` (what its initials matched in this entry).
  function marker(clauses, words) {
    var parts = (words || []).map(escapeRegExp);
    (function add(list) {
      list.forEach(function (clause) {
        if (clause.kind === 'word') parts.push('(?<![a-z0-9])' + escapeRegExp(clause.text) + '[a-z0-9]*');
        else if (clause.kind === 'hangul') parts.push(escapeRegExp(clause.text));
        else if (clause.kind === 'initials') {
          var syllables = clause.text.replace(/[\u3131-\u314e]/g, '');
          if (syllables) parts.push(escapeRegExp(syllables));
        } else {
          clause.names.forEach(function (name) { parts.push(escapeRegExp(name)); });
          add(clause.inner);
        }
      });
    })(clauses);
    parts.sort(function (a, b) { return b.length - a.length; });
    return parts.length ? new RegExp(parts.join('|'), 'gi') : null;
  }
  function count(pattern, text) {
    if (!pattern || !text) return 0;
    pattern.lastIndex = 0;
    var found = text.match(pattern);
    return found ? found.length : 0;
  }
  function highlight(text, pattern) {
    if (!pattern) return escapeHtml(text);
    var html = '', last = 0, found;
    pattern.lastIndex = 0;
    while ((found = pattern.exec(text))) {
      if (!found[0].length) { pattern.lastIndex++; continue; }
      html += escapeHtml(text.slice(last, found.index)) + '<mark>' + escapeHtml(found[0]) + '</mark>';
      last = found.index + found[0].length;
    }
    return html + escapeHtml(text.slice(last));
  }
  function snippet(text, pattern) {
    var at = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var found = pattern.exec(text);
      if (found) at = found.index;
    }
    var start = Math.max(0, at - 40);
    if (start > 0) {
      var space = text.indexOf(' ', start);
      if (space >= 0 && space < at) start = space + 1;
    }
    var end = Math.min(text.length, start + 160);
    return (start > 0 ? '… ' : '') + highlight(text.slice(start, end), pattern) + (end < text.length ? ' …' : '');
  }
  function describe(number, fragment, clauses) {
    var words = [];
    (function collect(list) {
      list.forEach(function (clause) {
        if (clause.kind === 'initials') {
          namedTexts(fragment).forEach(function (text) { words = words.concat(initialsWords(clause.text, text)); });
        } else if (clause.kind === 'any') collect(clause.inner);
      });
    })(clauses);
    var pattern = marker(clauses, words);
    var best = null, bestScore = -1;
    fragment.passages.forEach(function (passage) {
      var score = 3 * count(pattern, passage.heading) + count(pattern, passage.text) + 0.5 * count(pattern, passage.code);
      if (score > bestScore) { best = passage; bestScore = score; }
    });
    var text = '';
    // Matched by its title or tags alone: the top of the entry.
    if (bestScore <= 0) best = fragment.passages.filter(function (p) { return p.text; })[0] || best;
    var linked = bestScore > 0 ? best : null;
    if (best) {
      text = count(pattern, best.text) || !count(pattern, best.code) ? best.text : best.code;
      if (!text) text = best.code;
    }
    return {
      number: number,
      title: fragment.title,
      date: fragment.date,
      heading: linked && linked.heading,
      href: fragment.url + (linked && linked.anchor ? '#' + encodeURIComponent(linked.anchor) : ''),
      snippet: snippet(text, pattern),
      titleHtml: highlight(fragment.title, pattern)
    };
  }

  // A search: ranked candidates, checked against their text a batch at a time.
  function Search(query) {
    this.query = query;
    this.next = 0;
    this.ranked = null;
  }
  Search.prototype.start = function () {
    var self = this;
    return loadMeta().then(function () {
      self.clauses = parse(self.query, meta.tags);
      if (!self.clauses.length) { self.ranked = []; return; }
      return Promise.all(self.clauses.map(match)).then(function (maps) {
        var combined = intersect(maps);
        self.ranked = Array.from(combined.keys()).sort(function (a, b) {
          return combined.get(b) - combined.get(a) || b - a;
        });
      });
    });
  };
  // The next `wanted` results that really hold the query.
  Search.prototype.more = function (wanted) {
    var self = this, results = [], checked = 0;
    function batch() {
      // Candidates that fail the check cost a fetch each: give up for now after a few batches.
      if (results.length >= wanted || self.next >= self.ranked.length || (checked >= 5 * wanted && results.length)) {
        return Promise.resolve(results);
      }
      var numbers = self.ranked.slice(self.next, self.next + Math.max(wanted - results.length, 4));
      self.next += numbers.length;
      checked += numbers.length;
      return Promise.all(numbers.map(loadFragment)).then(function (loaded) {
        loaded.forEach(function (fragment, i) {
          if (self.holds(fragment)) results.push(describe(numbers[i], fragment, self.clauses));
        });
        return batch();
      });
    }
    return batch();
  };
  // Whether an entry's text really holds the query (the index only narrows the candidates).
  Search.prototype.holds = function (fragment) {
    var haystack = normalize([fragment.title].concat(fragment.tags, fragment.passages.map(function (p) {
      return (p.heading || '') + ' ' + p.text + ' ' + p.code;
    })).join(' '));
    return this.clauses.every(function (clause) { return meets(clause, fragment, haystack); });
  };
  // How many entries hold the query, checking every candidate; `null` past `limit`
  // candidates, where the check would fetch too much and the count is a floor.
  Search.prototype.total = function (limit) {
    var self = this;
    if (self.ranked.length > limit) return Promise.resolve(null);
    return Promise.all(self.ranked.map(loadFragment)).then(function (loaded) {
      return loaded.filter(function (fragment) { return self.holds(fragment); }).length;
    });
  };
  Search.prototype.done = function () { return this.next >= this.ranked.length; };

  function render(result, id) {
    return '<li role="option" id="' + id + '"><a href="' + escapeHtml(result.href) + '">' +
      '<span class="search-title">' + result.titleHtml + '</span>' +
      (result.date ? ' <span class="search-date">' + escapeHtml(result.date) + '</span>' : '') +
      (result.heading ? '<span class="search-heading">' + escapeHtml(result.heading) + '</span>' : '') +
      '<span class="search-snippet">' + result.snippet + '</span></a></li>';
  }

  // For themes and scripts: the first `count` results of `query`, as the boxes show them
  // (title, date, heading, href, snippet and titleHtml with <mark>s).
  window.haruSearch = function (query, count) {
    var search = new Search(query);
    return search.start().then(function () { return search.more(count || 10); }).then(function (results) {
      results.total = search.ranked.length; // candidates, before each is checked against its text
      return results;
    });
  };

  // --- The boxes: the header's dropdown and the search page --------------------------------
  // Candidates checked at most to count the results exactly: one small fetch each.
  var TOTAL_LIMIT = 200;
  if (!form) return;
  var ui = JSON.parse(form.getAttribute('data-ui'));
  // `panel`: what holds status and list and is shown only with results (the header's dropdown).
  function Box(input, list, status, moreButton, perPage, panel) {
    function open(shown) {
      if (panel) panel.hidden = !shown;
      input.setAttribute('aria-expanded', shown ? 'true' : 'false');
    }
    var current = null, active = -1, timer = 0, shown = 0;
    function items() { return list.querySelectorAll('li[role="option"]'); }
    function setActive(index) {
      var all = items();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (item, i) { item.classList.toggle('active', i === active); item.setAttribute('aria-selected', i === active); });
      input.setAttribute('aria-activedescendant', all[active].id);
      all[active].scrollIntoView({ block: 'nearest' });
    }
    function say(text) { status.textContent = text; if (!panel) status.hidden = !text; }
    function show(search, results, append) {
      if (search !== current) return;
      var html = results.map(function (result) { return render(result, input.id + '-result-' + (shown++)); }).join('');
      if (append) list.insertAdjacentHTML('beforeend', html); else list.innerHTML = html;
      list.dataset.query = search.query;
      var total = items().length;
      if (!total) say(ui.none.replace('{query}', search.query));
      else if (search.done()) say(ui.count.replace('{count}', total));
      else {
        // More may follow: the count says all of them, not just those shown.
        say(ui.count_at_least.replace('{count}', total));
        search.total(TOTAL_LIMIT).then(function (all) {
          if (search === current && all !== null) say(ui.count.replace('{count}', all));
        }, function () {});
      }
      if (moreButton) moreButton.hidden = search.done();
      open(true);
    }
    function run(query) {
      active = -1;
      shown = 0;
      input.removeAttribute('aria-activedescendant');
      if (!query.trim()) {
        current = null; list.innerHTML = ''; say(''); open(false);
        if (moreButton) moreButton.hidden = true;
        return Promise.resolve();
      }
      var search = current = new Search(query);
      return search.start()
        .then(function () { return search.more(perPage); })
        .then(function (results) { show(search, results, false); })
        .catch(function () { if (search === current) { say(ui.failed); open(true); } });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 80);
    });
    input.addEventListener('focus', function () { if (current && items().length) open(true); });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown') { event.preventDefault(); setActive(active + 1); }
      else if (event.key === 'ArrowUp') { event.preventDefault(); setActive(active - 1); }
      else if (event.key === 'Enter' && active >= 0) {
        event.preventDefault();
        var link = items()[active].querySelector('a');
        if (link) window.location.href = link.href;
      } else if (event.key === 'Escape') { input.blur(); open(false); }
    });
    if (moreButton) {
      moreButton.addEventListener('click', function () {
        var search = current;
        if (!search) return;
        search.more(perPage).then(function (results) { show(search, results, true); });
      });
    }
    return { run: run, close: function () { open(false); } };
  }

  var page = document.querySelector('form[data-haru-search-page]');
  var header = form.querySelector('input');
  var headerBox = Box(header, form.querySelector('.search-results'), form.querySelector('.search-status'), null, 6,
    form.querySelector('.search-panel'));
  document.addEventListener('click', function (event) {
    if (!form.contains(event.target)) headerBox.close();
  });
  var pageInput = null;
  if (page) {
    pageInput = page.querySelector('input');
    var pageBox = Box(pageInput, document.querySelector('.search-list'), document.querySelector('.search-page-status'),
      document.querySelector('.search-more'), 10);
    // The address follows the query, so the page can be linked or reloaded as it is.
    pageInput.addEventListener('input', function () {
      history.replaceState(null, '', pageInput.value ? '?q=' + encodeURIComponent(pageInput.value) : '?');
    });
    page.addEventListener('submit', function (event) {
      event.preventDefault();
      history.replaceState(null, '', '?q=' + encodeURIComponent(pageInput.value));
      pageBox.run(pageInput.value);
    });
    var query = new URLSearchParams(window.location.search).get('q');
    if (query) { pageInput.value = query; pageBox.run(query); }
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      (pageInput || header).focus();
    }
  });
})();
