/* Year-over-year charts of the annual report (console). The figures come from the page's
   <script type="application/json" id="report-compare-data"> element; each chart has a table
   with the same figures right below it, so the chart itself is hidden from screen readers. */
(function () {
  "use strict";
  var source = document.getElementById("report-compare-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#b5121b", "#0a4a8f", "#2e7d32", "#6b4a00", "#5e35b1", "#595959"];
  var charts = [];
  data.charts.forEach(function (chart) {
    var element = document.getElementById(chart.id);
    if (!element) {
      return;
    }
    element.hidden = false;
    var instance = window.echarts.init(element);
    instance.setOption({
      color: palette,
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", minInterval: 1 },
      series: chart.series.map(function (s) {
        return {
          name: s.name,
          type: chart.stacked ? "bar" : "line",
          stack: chart.stacked ? "total" : undefined,
          data: s.values,
        };
      }),
    });
    charts.push(instance);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) {
      c.resize();
    });
  });
})();
