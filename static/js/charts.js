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

  new Chart(document.getElementById("chart-ranking"), {
    type: "bar",
    data: {
      labels: d.ranking.map(function (r) { return r.rank + ". " + r.county; }),
      datasets: [{ label: d.labels.total, data: d.ranking.map(function (r) { return r.total; }), backgroundColor: red }]
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true } } }
  });

  new Chart(document.getElementById("chart-problems"), {
    type: "bar",
    data: { labels: d.items, datasets: [{ label: d.labels.problems, data: d.problems, backgroundColor: grey }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
