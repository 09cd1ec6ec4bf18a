/**
 * Progressive enhancement only: without it every form posts and redirects. With it, scrap and mock
 * apply are sent in the background and the page announces the result in place.
 */
export const SITE_JS = `
(function(){
  document.querySelectorAll('form[data-enhance="engage"]').forEach(function(form){
    form.addEventListener('submit', function(event){
      if (!window.fetch) return;
      event.preventDefault();
      var button = form.querySelector('button');
      if (button) button.disabled = true;
      // getAttribute: a field named like a form property would shadow form.action.
      fetch(form.getAttribute('action'), { method: 'POST', headers: { 'accept': 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(new FormData(form)).toString(), credentials: 'same-origin' })
        .then(function(res){ if (!res.ok) throw new Error('status ' + res.status); return res.json(); })
        .then(function(body){
          var status = document.getElementById('live-status');
          if (!status) { status = document.createElement('p'); status.id = 'live-status'; status.className = 'notice notice-ok'; status.setAttribute('role', 'status'); form.parentNode.parentNode.insertBefore(status, form.parentNode); }
          status.textContent = body.message || 'Done.';
          if (typeof body.scrapped === 'boolean' && button) {
            button.textContent = body.scrapped ? 'Scrapped' : 'Scrap';
            button.setAttribute('aria-pressed', body.scrapped ? 'true' : 'false');
            var intent = form.querySelector('input[name="intent"]');
            if (intent) intent.value = body.scrapped ? 'unscrap' : 'scrap';
          }
        })
        .catch(function(){ form.submit(); })
        .finally(function(){ if (button) button.disabled = false; });
    });
  });
})();
`;
