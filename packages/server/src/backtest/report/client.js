/* The backtest report's charts (runs in the browser, inlined by render.ts after uPlot).
 * Reads the JSON block #report-data; draws equity, drawdown, price (candles) and volume with uPlot,
 * all four sharing one time axis (cursor and zoom follow each other); trades are SVG elements over the
 * price chart (entry ▲/▼ and exit ● markers joined by a line, green for a win, red for a loss), each
 * marker carrying data-trade-marker="entry|exit". Text from the data only ever goes in via
 * textContent. When done: <body data-report-ready="1" data-trade-markers="N">. */
(function () {
  'use strict'

  var SVG_NS = 'http://www.w3.org/2000/svg'
  var COLORS = {
    up: '#16a34a',
    down: '#dc2626',
    win: '#15803d',
    loss: '#dc2626',
    even: '#64748b',
    equity: '#2563eb',
    equityFill: 'rgba(37, 99, 235, 0.10)',
    balance: '#94a3b8',
    dd: '#dc2626',
    ddFill: 'rgba(220, 38, 38, 0.18)',
    grid: 'rgba(15, 23, 42, 0.07)',
    axis: '#475569',
  }
  var Y_AXIS_SIZE = 84
  // uPlot's time-axis table with 24-hour, day-first labels (UTC): [min tick step (s), label,
  // label when the year/month/day/hour/minute changes, …].
  var DAY = 86400
  var TIME_AXIS = [
    [DAY * 365, '{YYYY}', null, null, null, null, null, null, 1],
    [DAY * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
    [DAY, '{D} {MMM}', '\n{YYYY}', null, null, null, null, null, 1],
    [3600, '{HH}:{mm}', '\n{D} {MMM} {YYYY}', null, '\n{D} {MMM}', null, null, null, 1],
    [60, '{HH}:{mm}', '\n{D} {MMM} {YYYY}', null, '\n{D} {MMM}', null, null, null, 1],
    [1, ':{ss}', '\n{D} {MMM} {YYYY} {HH}:{mm}', null, '\n{D} {MMM} {HH}:{mm}', null, '\n{HH}:{mm}', null, 1],
  ]

  var body = document.body
  var tooltip = document.getElementById('tooltip')
  var errorBox = document.getElementById('report-error')

  function fail(err) {
    console.error('report: ' + (err && err.stack ? err.stack : err))
    body.setAttribute('data-report-error', String(err && err.message ? err.message : err))
    if (errorBox) {
      errorBox.hidden = false
      errorBox.textContent = 'The charts could not be drawn: ' + (err && err.message ? err.message : err)
    }
  }

  // ---- formatting (UTC) ----
  var numFmts = {}
  function fmt(v, dec) {
    if (v == null || !isFinite(v)) return '—'
    var f = numFmts[dec] || (numFmts[dec] = new Intl.NumberFormat('en-US', { minimumFractionDigits: dec, maximumFractionDigits: dec }))
    var s = f.format(v)
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s
  }
  function signed(v, dec) {
    var s = fmt(v, dec)
    return v > 0 ? '+' + s : s
  }
  function pad2(n) {
    return n < 10 ? '0' + n : '' + n
  }
  function fmtTime(sec) {
    if (sec == null || !isFinite(sec)) return '—'
    var d = new Date(sec * 1000)
    return d.getUTCFullYear() + '-' + pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate()) + ' ' + pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes())
  }
  function fmtDuration(sec) {
    var m = Math.round(sec / 60)
    var d = Math.floor(m / 1440)
    var h = Math.floor((m % 1440) / 60)
    var parts = []
    if (d) parts.push(d + 'd')
    if (h) parts.push(h + 'h')
    if (m % 60) parts.push((m % 60) + 'm')
    return parts.slice(0, 2).join(' ') || '0m'
  }
  /** Large numbers as 1.2k / 3.4M / 5.6B (volume); `dec` decimals below 10,000. */
  function compact(v, dec) {
    var a = Math.abs(v)
    if (a >= 1e9) return fmt(v / 1e9, 2) + 'B'
    if (a >= 1e6) return fmt(v / 1e6, 2) + 'M'
    if (a >= 1e4) return fmt(v / 1e3, 1) + 'k'
    return fmt(v, dec != null ? dec : a >= 100 ? 0 : 2)
  }

  // ---- tooltip ----
  function showTip(e, title, rows, cls) {
    tooltip.textContent = ''
    var h = document.createElement('div')
    h.className = 'tip-title ' + (cls || '')
    h.textContent = title
    tooltip.appendChild(h)
    var table = document.createElement('table')
    rows.forEach(function (r) {
      var tr = document.createElement('tr')
      var th = document.createElement('th')
      th.textContent = r[0]
      var td = document.createElement('td')
      td.textContent = r[1]
      if (r[2]) td.className = r[2]
      tr.appendChild(th)
      tr.appendChild(td)
      table.appendChild(tr)
    })
    tooltip.appendChild(table)
    tooltip.hidden = false
    moveTip(e)
  }
  function moveTip(e) {
    var pad = 14
    var w = tooltip.offsetWidth
    var h = tooltip.offsetHeight
    var x = e.clientX + pad
    var y = e.clientY + pad
    if (x + w > window.innerWidth - 4) x = e.clientX - pad - w
    if (y + h > window.innerHeight - 4) y = e.clientY - pad - h
    tooltip.style.left = Math.max(4, x) + 'px'
    tooltip.style.top = Math.max(4, y) + 'px'
  }
  function hideTip() {
    tooltip.hidden = true
  }

  // ---- shared time axis ----
  var charts = []
  var syncing = false
  var fullRange = null

  function setAllX(min, max, except) {
    syncing = true
    try {
      charts.forEach(function (c) {
        if (c !== except) c.setScale('x', { min: min, max: max })
      })
    } finally {
      syncing = false
    }
  }
  function resetZoom() {
    if (fullRange) setAllX(fullRange[0], fullRange[1], null)
  }

  function utc(ts) {
    return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC')
  }

  // uPlot handles events only when their target is the plot itself; the trade markers sit on top,
  // so mousemove/mousedown are bound without that check, and double-click resets every chart.
  var bind = {
    mousemove: function (u, targ, handler) {
      return function (e) {
        handler(e)
        return null
      }
    },
    mousedown: function (u, targ, handler) {
      return function (e) {
        if (e.button === 0) handler(e)
        return null
      }
    },
    dblclick: function () {
      return function (e) {
        if (e.button === 0) resetZoom()
        return null
      }
    },
  }

  function baseOpts(title, height, yFormat, extra) {
    var opts = {
      title: title,
      width: chartWidth(),
      height: height,
      tzDate: utc,
      cursor: {
        sync: { key: 'report', setSeries: false },
        bind: bind,
        drag: { x: true, y: false, setScale: true },
        points: { show: !(extra && extra.noCursorPoints) },
      },
      scales: { x: { time: true } },
      legend: { live: true },
      axes: [
        { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid }, values: TIME_AXIS },
        {
          stroke: COLORS.axis,
          size: Y_AXIS_SIZE,
          grid: { stroke: COLORS.grid },
          ticks: { stroke: COLORS.grid },
          values: function (u, vals, axisIdx, space, incr) {
            var dec = Math.max(0, Math.min(8, -Math.floor(Math.log10(incr || 1))))
            return vals.map(function (v) {
              return yFormat(v, dec)
            })
          },
        },
      ],
      hooks: {
        setScale: [
          function (u, key) {
            if (key === 'x' && !syncing && charts.length && charts.indexOf(u) >= 0) setAllX(u.scales.x.min, u.scales.x.max, u)
          },
        ],
      },
    }
    for (var k in extra) if (k !== 'noCursorPoints') opts[k] = extra[k]
    return opts
  }

  function chartWidth() {
    var host = document.querySelector('.charts')
    return Math.max(320, Math.floor((host ? host.clientWidth : window.innerWidth) - 2))
  }

  function lowerBound(arr, v) {
    var lo = 0
    var hi = arr.length
    while (lo < hi) {
      var mid = (lo + hi) >> 1
      if (arr[mid] < v) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Visible bar range and a body width in canvas pixels. */
  function visibleBars(u, t) {
    var i0 = Math.max(0, lowerBound(t, u.scales.x.min) - 1)
    var i1 = Math.min(t.length, lowerBound(t, u.scales.x.max) + 1)
    var shown = Math.max(1, lowerBound(t, u.scales.x.max) - lowerBound(t, u.scales.x.min))
    var slot = u.bbox.width / shown
    var bw = Math.max(1, Math.round(slot * 0.72))
    return { i0: i0, i1: i1, bw: bw, slot: slot }
  }

  function clipPlot(u) {
    var ctx = u.ctx
    ctx.save()
    ctx.beginPath()
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height)
    ctx.clip()
    return ctx
  }

  function drawCandles(u) {
    var P = D.price
    var ctx = clipPlot(u)
    var vb = visibleBars(u, P.t)
    var px = Math.max(1, Math.round(uPlot.pxRatio))
    ;[true, false].forEach(function (up) {
      var wicks = new Path2D()
      var bodies = new Path2D()
      for (var i = vb.i0; i < vb.i1; i++) {
        if (P.c[i] >= P.o[i] !== up) continue
        var x = Math.round(u.valToPos(P.t[i], 'x', true))
        var yh = Math.round(u.valToPos(P.h[i], 'y', true))
        var yl = Math.round(u.valToPos(P.l[i], 'y', true))
        wicks.rect(x - Math.floor(px / 2), yh, px, Math.max(px, yl - yh))
        if (vb.bw > px) {
          var yo = Math.round(u.valToPos(P.o[i], 'y', true))
          var yc = Math.round(u.valToPos(P.c[i], 'y', true))
          bodies.rect(x - Math.floor(vb.bw / 2), Math.min(yo, yc), vb.bw, Math.max(px, Math.abs(yc - yo)))
        }
      }
      ctx.fillStyle = up ? COLORS.up : COLORS.down
      ctx.fill(wicks)
      ctx.fill(bodies)
    })
    ctx.restore()
  }

  function drawVolume(u) {
    var P = D.price
    var ctx = clipPlot(u)
    var vb = visibleBars(u, P.t)
    var y0 = Math.round(u.valToPos(0, 'y', true))
    ;[true, false].forEach(function (up) {
      var bars = new Path2D()
      for (var i = vb.i0; i < vb.i1; i++) {
        if (P.c[i] >= P.o[i] !== up) continue
        var x = Math.round(u.valToPos(P.t[i], 'x', true))
        var y = Math.round(u.valToPos(P.v[i], 'y', true))
        bars.rect(x - Math.floor(vb.bw / 2), y, vb.bw, Math.max(1, y0 - y))
      }
      ctx.fillStyle = up ? 'rgba(22, 163, 74, 0.45)' : 'rgba(220, 38, 38, 0.45)'
      ctx.fill(bars)
    })
    ctx.restore()
  }

  /** An <svg> layer over a chart's plot area (the markers inside catch the mouse, the rest does not). */
  function overlay(u) {
    var svg = document.createElementNS(SVG_NS, 'svg')
    svg.setAttribute('class', 'overlay')
    u.over.appendChild(svg)
    return svg
  }
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG_NS, name)
    for (var k in attrs) e.setAttribute(k, attrs[k])
    if (parent) parent.appendChild(e)
    return e
  }

  // ---- trades ----
  var tradeGroups = []

  function tradeRows(t) {
    return [
      ['Entry', fmtTime(t.et) + ' @ ' + fmt(t.ep, D.priceDecimals)],
      ['Exit', fmtTime(t.xt) + ' @ ' + fmt(t.xp, D.priceDecimals)],
      ['Quantity', String(t.qty)],
      ['PnL', signed(t.pnl, 2), t.pnl > 0 ? 'pos' : t.pnl < 0 ? 'neg' : ''],
      ['Return', signed(t.ret, 2) + ' %', t.ret > 0 ? 'pos' : t.ret < 0 ? 'neg' : ''],
      ['Fees', fmt(t.fees, 2)],
      ['Duration', fmtDuration(t.xt - t.et)],
      ['Exit reason', t.reason],
    ]
  }
  function tradeTitle(i, t) {
    return 'Trade #' + (i + 1) + ' · ' + (t.dir > 0 ? 'Long' : 'Short')
  }
  function highlight(i, on) {
    var g = tradeGroups[i]
    if (g) g.classList.toggle('hl', on)
    var row = document.querySelector('tr[data-trade="' + i + '"]')
    if (row) row.classList.toggle('hl', on)
  }

  function buildTrades(u) {
    var svg = overlay(u)
    var lines = el('g', { class: 'trade-lines' }, svg)
    var marks = el('g', { class: 'trade-marks' }, svg)
    D.trades.forEach(function (t, i) {
      var cls = t.pnl > 0 ? 'win' : t.pnl < 0 ? 'loss' : 'even'
      var color = COLORS[cls]
      var line = el('line', { class: 'trade-line ' + cls, stroke: color, 'data-trade': i }, lines)
      var g = el('g', { class: 'trade ' + cls, 'data-trade': i }, marks)
      var entry = el(
        'path',
        {
          d: t.dir > 0 ? 'M0,-7L6.5,5L-6.5,5Z' : 'M0,7L6.5,-5L-6.5,-5Z',
          fill: color,
          class: 'marker entry',
          'data-trade-marker': 'entry',
          'data-direction': t.dir > 0 ? 'long' : 'short',
          'data-trade': i,
        },
        g,
      )
      var exit = el('circle', { r: 4.5, fill: color, class: 'marker exit', 'data-trade-marker': 'exit', 'data-trade': i }, g)
      ;[entry, exit, line].forEach(function (node) {
        node.addEventListener('mouseenter', function (e) {
          highlight(i, true)
          showTip(e, tradeTitle(i, t), tradeRows(t), cls)
        })
        node.addEventListener('mousemove', moveTip)
        node.addEventListener('mouseleave', function () {
          highlight(i, false)
          hideTip()
        })
        node.addEventListener('click', function () {
          var row = document.querySelector('tr[data-trade="' + i + '"]')
          if (row) {
            row.scrollIntoView({ block: 'center', behavior: 'smooth' })
            row.classList.add('flash')
            setTimeout(function () {
              row.classList.remove('flash')
            }, 1200)
          }
        })
      })
      tradeGroups.push(g)
      tradeGroups[i].__parts = { line: line, entry: entry, exit: exit, t: t }
    })
  }

  function placeTrades(u) {
    var w = u.over.clientWidth
    tradeGroups.forEach(function (g) {
      var p = g.__parts
      var t = p.t
      var x1 = u.valToPos(t.et, 'x')
      var y1 = u.valToPos(t.ep, 'y')
      var x2 = u.valToPos(t.xt, 'x')
      var y2 = u.valToPos(t.xp, 'y')
      var off = x2 < -10 || x1 > w + 10
      var vis = off ? 'hidden' : 'visible'
      g.setAttribute('visibility', vis)
      p.line.setAttribute('visibility', vis)
      if (off) return
      p.line.setAttribute('x1', x1.toFixed(1))
      p.line.setAttribute('y1', y1.toFixed(1))
      p.line.setAttribute('x2', x2.toFixed(1))
      p.line.setAttribute('y2', y2.toFixed(1))
      p.entry.setAttribute('transform', 'translate(' + x1.toFixed(1) + ' ' + y1.toFixed(1) + ')')
      p.exit.setAttribute('cx', x2.toFixed(1))
      p.exit.setAttribute('cy', y2.toFixed(1))
    })
  }

  // ---- equity marks (peak, deepest drawdown, final) ----
  var equityMarks = []
  function buildEquityMarks(u) {
    var svg = overlay(u)
    var E = D.equity
    var list = []
    if (D.peak) list.push({ kind: 'peak', t: D.peak.t, v: D.peak.e, color: COLORS.up, title: 'Peak equity', rows: [['Time', fmtTime(D.peak.t)], ['Equity', fmt(D.peak.e, 2)]] })
    if (D.trough)
      list.push({
        kind: 'max-drawdown',
        t: D.trough.t,
        v: D.trough.e,
        color: COLORS.down,
        title: 'Deepest drawdown',
        rows: [['Time', fmtTime(D.trough.t)], ['Equity', fmt(D.trough.e, 2)], ['Drawdown', '-' + fmt(D.trough.dd, 2) + ' %', 'neg']],
      })
    var n = E.t.length
    if (n) {
      var fin = E.equity[n - 1]
      list.push({
        kind: 'final',
        t: E.t[n - 1],
        v: fin,
        color: COLORS.equity,
        title: 'Final equity',
        rows: [['Time', fmtTime(E.t[n - 1])], ['Equity', fmt(fin, 2)], ['Return', signed((fin / D.initialBalance - 1) * 100, 2) + ' %']],
      })
    }
    list.forEach(function (m) {
      m.node = el('circle', { r: 5, fill: m.color, class: 'equity-mark', 'data-equity-mark': m.kind }, svg)
      m.node.addEventListener('mouseenter', function (e) {
        showTip(e, m.title, m.rows, '')
      })
      m.node.addEventListener('mousemove', moveTip)
      m.node.addEventListener('mouseleave', hideTip)
      equityMarks.push(m)
    })
  }
  function placeEquityMarks(u) {
    var w = u.over.clientWidth
    equityMarks.forEach(function (m) {
      var x = u.valToPos(m.t, 'x')
      m.node.setAttribute('visibility', x < -6 || x > w + 6 ? 'hidden' : 'visible')
      m.node.setAttribute('cx', x.toFixed(1))
      m.node.setAttribute('cy', u.valToPos(m.v, 'y').toFixed(1))
    })
  }

  function emptyChart(id, text) {
    var host = document.getElementById(id)
    host.classList.add('chart-empty')
    host.textContent = text
  }

  // ---- build ----
  var D
  try {
    D = JSON.parse(document.getElementById('report-data').textContent)
    var pd = D.priceDecimals
    var E = D.equity
    var P = D.price
    var timeSeries = {
      label: 'Time',
      value: function (u, v) {
        return fmtTime(v)
      },
    }
    var money = function (v, dec) {
      return Math.abs(v) >= 1e7 ? compact(v) : fmt(v, dec)
    }

    if (E.t.length) {
      var eq = new uPlot(
        baseOpts('', 260, money, {
          series: [
            timeSeries,
            {
              label: 'Equity',
              points: { show: false },
              stroke: COLORS.equity,
              width: 2,
              fill: COLORS.equityFill,
              value: function (u, v) {
                return fmt(v, 2)
              },
            },
            {
              label: 'Cash',
              points: { show: false },
              stroke: COLORS.balance,
              width: 1,
              dash: [4, 4],
              value: function (u, v) {
                return fmt(v, 2)
              },
            },
          ],
        }),
        [E.t, E.equity, E.balance],
        document.getElementById('chart-equity'),
      )
      charts.push(eq)
      buildEquityMarks(eq)

      var dd = new uPlot(
        baseOpts('', 130, function (v, dec) {
          return fmt(v, dec) + '%'
        }, {
          series: [
            timeSeries,
            {
              label: 'Drawdown',
              points: { show: false },
              stroke: COLORS.dd,
              width: 1.5,
              fill: COLORS.ddFill,
              value: function (u, v) {
                return v == null ? '—' : fmt(v, 2) + ' %'
              },
            },
          ],
          scales: { x: { time: true }, y: { range: function (u, min) { return [Math.min(min, -0.01) * 1.08, 0] } } },
        }),
        [E.t, E.dd.map(function (v) { return -v })],
        document.getElementById('chart-drawdown'),
      )
      charts.push(dd)
    } else {
      emptyChart('chart-equity', 'No equity points in this run.')
      emptyChart('chart-drawdown', 'No equity points in this run.')
    }

    if (P.t.length) {
      var priceVal = function (u, v) {
        return fmt(v, pd)
      }
      var hidden = { paths: function () { return null }, points: { show: false } }
      var price = new uPlot(
        baseOpts('', 400, function (v, dec) {
          return Math.abs(v) >= 1e6 ? compact(v) : fmt(v, dec)
        }, {
          noCursorPoints: true,
          series: [
            timeSeries,
            Object.assign({ label: 'Open', stroke: COLORS.axis, value: priceVal }, hidden),
            Object.assign({ label: 'High', stroke: COLORS.up, value: priceVal }, hidden),
            Object.assign({ label: 'Low', stroke: COLORS.down, value: priceVal }, hidden),
            Object.assign({ label: 'Close', stroke: COLORS.equity, value: priceVal }, hidden),
          ],
        }),
        [P.t, P.o, P.h, P.l, P.c],
        document.getElementById('chart-price'),
      )
      charts.push(price)
      buildTrades(price)

      var vol = new uPlot(
        baseOpts('', 110, compact, {
          noCursorPoints: true,
          series: [
            timeSeries,
            Object.assign({ label: P.bucket > 1 ? 'Volume (' + P.bucket + ' candles per bar)' : 'Volume', stroke: COLORS.balance, value: function (u, v) { return compact(v) } }, hidden),
          ],
          scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, (max || 1) * 1.05] } } },
        }),
        [P.t, P.v],
        document.getElementById('chart-volume'),
      )
      charts.push(vol)
    } else {
      emptyChart('chart-price', 'No candles in this run.')
      document.getElementById('chart-volume').hidden = true
    }

    // Draw hooks are added after construction so the first full draw below places everything.
    if (price) {
      price.hooks.draw = [drawCandles, placeTrades]
      vol.hooks.draw = [drawVolume]
    }
    if (eq) eq.hooks.draw = [placeEquityMarks]

    // One x range for all: the union of the charts' data.
    var lo = Infinity
    var hi = -Infinity
    charts.forEach(function (c) {
      var t = c.data[0]
      if (t.length) {
        lo = Math.min(lo, t[0])
        hi = Math.max(hi, t[t.length - 1])
      }
    })
    if (charts.length) {
      if (hi === lo) hi = lo + 60
      var padX = P.t.length > 1 ? (P.t[1] - P.t[0]) * 0.6 : 0
      fullRange = [lo - padX, hi + padX]
      resetZoom()
      charts.forEach(function (c) {
        c.redraw(false, true)
      })
    }

    // Trade rows zoom the charts to the trade.
    var tbody = document.querySelector('#trades-table tbody')
    if (tbody && D.trades.length) {
      tbody.addEventListener('click', function (e) {
        var row = e.target.closest('tr[data-trade]')
        if (!row || !fullRange) return
        var t = D.trades[+row.getAttribute('data-trade')]
        if (!t) return
        var span = Math.max(t.xt - t.et, (P.t.length > 1 ? P.t[1] - P.t[0] : 60) * 20)
        setAllX(Math.max(fullRange[0], t.et - span), Math.min(fullRange[1], t.xt + span), null)
        document.getElementById('chart-price').scrollIntoView({ block: 'center', behavior: 'smooth' })
      })
      tbody.addEventListener('mouseover', function (e) {
        var row = e.target.closest('tr[data-trade]')
        if (row) highlight(+row.getAttribute('data-trade'), true)
      })
      tbody.addEventListener('mouseout', function (e) {
        var row = e.target.closest('tr[data-trade]')
        if (row) highlight(+row.getAttribute('data-trade'), false)
      })
    }

    var pending = false
    window.addEventListener('resize', function () {
      if (pending) return
      pending = true
      requestAnimationFrame(function () {
        pending = false
        var w = chartWidth()
        charts.forEach(function (c) {
          c.setSize({ width: w, height: c.height })
        })
      })
    })

    // For scripting and tests: the uPlot instances and the shared zoom.
    window.backtestReport = { charts: charts, zoom: function (min, max) { setAllX(min, max, null) }, resetZoom: resetZoom }
    body.setAttribute('data-trade-markers', String(document.querySelectorAll('[data-trade-marker]').length))
    body.setAttribute('data-charts', String(charts.length))
    body.setAttribute('data-report-ready', '1')
  } catch (err) {
    fail(err)
  }
})()
