// The dashboard's charts: drawn from the JSON the page carries (the same numbers as its tables).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var d = JSON.parse(source.textContent);
  var red = "#b71c1c", grey = "#90a4ae", blue = "#1565c0";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  new Chart(document.getElementById("chart-items"), {
    type: "bar",
    data: {
      labels: d.items,
      datasets: [
        { label: d.labels.min + "–" + d.labels.max, data: d.item_min.map(function (v, i) { return [v, d.item_max[i]]; }), backgroundColor: "rgba(183,28,28,.25)", borderColor: red, borderWidth: 1 },
        { label: d.labels.avg, type: "line", data: d.item_avg, borderColor: blue, backgroundColor: blue, showLine: false, pointRadius: 5 }
      ]
    },
    options: { scales: { y: { beginAtZero: true } } }
  });

  // Complete targets by rank; after them the others, marked: a provisional sum (暂计) in pale grey, or
  // nothing drawn at all when no item is scored yet. Two datasets sharing a slot (grouped: false).
  var ranking = d.ranking;
  new Chart(document.getElementById("chart-ranking"), {
    type: "bar",
    data: {
      labels: ranking.map(function (r) {
        return r.provisional ? r.county + "（" + r.note + "）" : r.rank + ". " + r.county;
      }),
      datasets: [
        { label: d.labels.total, data: ranking.map(function (r) { return r.provisional ? null : r.total; }), backgroundColor: red },
        { label: d.labels.provisional, data: ranking.map(function (r) { return r.provisional ? r.total : null; }), backgroundColor: "rgba(144,164,174,.35)", borderColor: grey, borderWidth: 1 }
      ]
    },
    options: { indexAxis: "y", datasets: { bar: { grouped: false } }, scales: { x: { beginAtZero: true } } }
  });

  new Chart(document.getElementById("chart-problems"), {
    type: "bar",
    data: { labels: d.item_titles, datasets: [{ label: d.labels.problems, data: d.problems, backgroundColor: grey }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
