// The dashboard's charts, drawn from the figures in its data island (#dashboard-figures).
// The tables beside them hold the same figures and are the page without scripts; a chart
// box stays hidden until its chart is drawn.
(function () {
  "use strict";

  var island = document.getElementById("dashboard-figures");
  if (!island || typeof window.Chart === "undefined") {
    return;
  }
  var figures = JSON.parse(island.textContent);
  window.Chart.defaults.font.size = 13;
  window.Chart.defaults.color = "#1b1f24";
  var locale = figures.locale || document.documentElement.lang || "en";

  // Colours told apart by most colour-blind readers (Okabe and Ito), severities as on badges.
  var COLOURS = {
    employed: "#0072b2",
    on_time: "#e69f00",
    pending_start: "#999999",
    serving: "#0072b2",
    suspended: "#e69f00",
    completed: "#009e73",
    released: "#56b4e9",
    breached: "#b2182b",
    critical: "#8b0000",
    high: "#d55e00",
    medium: "#e6b000",
    low: "#1f7a3d"
  };
  var FALLBACK = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"];

  var whole = new Intl.NumberFormat(locale);
  var percent = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1
  });
  var percentTick = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });

  function colour(key, index) {
    return COLOURS[key] || FALLBACK[index % FALLBACK.length];
  }

  // A long name on several lines, so that a narrow chart keeps room for its bars.
  function wrapped(name) {
    var lines = [];
    var line = "";
    name.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 24) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines.length > 1 ? lines : name;
  }

  function config(spec) {
    var isPercent = spec.kind === "percent";
    var isLine = spec.kind === "line";
    var stacked = spec.kind === "stacked";
    var valueAxis = spec.horizontal ? "x" : "y";
    var categoryAxis = spec.horizontal ? "y" : "x";
    var format = function (value) {
      return isPercent ? percent.format(value / 100) : whole.format(value);
    };
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: stacked,
      max: isPercent ? 100 : undefined,
      ticks: {
        precision: 0,
        callback: function (value) {
          return isPercent ? percentTick.format(value / 100) : whole.format(value);
        }
      }
    };
    scales[categoryAxis] = { stacked: stacked, ticks: { autoSkip: false } };
    return {
      type: isLine ? "line" : "bar",
      data: {
        labels: spec.labels.map(wrapped),
        datasets: spec.series.map(function (series, index) {
          var c = colour(series.key, index);
          return {
            label: series.label,
            data: series.data,
            backgroundColor: c,
            borderColor: c,
            borderWidth: isLine ? 2 : 0,
            pointRadius: isLine ? 3 : 0,
            tension: 0
          };
        })
      },
      options: {
        locale: locale,
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = spec.horizontal ? item.parsed.x : item.parsed.y;
                return item.dataset.label + ": " + format(value);
              }
            }
          }
        },
        scales: scales
      }
    };
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), function (canvas) {
    var spec = figures.charts[canvas.getAttribute("data-chart")];
    if (!spec || spec.labels.length === 0) {
      return;
    }
    var box = canvas.parentElement;
    box.hidden = false;
    if (spec.horizontal) {
      // A bar per row: the box grows with the rows so that every name stays readable.
      var rows = spec.labels.length * (spec.kind === "percent" ? 2 : 1);
      box.style.height = Math.max(14, 6 + rows * 1.6) + "rem";
    }
    new window.Chart(canvas, config(spec));
  });
})();
