// The bar chart of the unit figures page: closed-on-time and satisfaction rates (%) of the
// busiest units. Data comes from the page (json_script "figures-data").
(function () {
  const holder = document.getElementById("figures-chart");
  const source = document.getElementById("figures-data");
  if (!holder || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    color: ["#1565c0", "#2e7d32"],
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
    legend: { data: ["按时办结率", "满意率"], top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 90 },
    xAxis: { type: "category", data: data.units, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "按时办结率", type: "bar", data: data.closed_on_time, barMaxWidth: 18 },
      { name: "满意率", type: "bar", data: data.satisfaction, barMaxWidth: 18 },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
