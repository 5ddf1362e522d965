// The upload's progress on the preview form (htmx reports it as the request body is sent).
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-progress");
  if (bar && event.detail.lengthComputable) {
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    if (bar.value >= 100) bar.removeAttribute("value"); // now the server checks the rows
  }
});
document.addEventListener("htmx:beforeRequest", function () {
  var bar = document.getElementById("upload-progress");
  if (bar) bar.value = 0;
});
