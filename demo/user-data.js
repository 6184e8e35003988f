// The demo shop's logged-in customer, as a real site would print it server-side.
// Kept in a file (not an inline script) so the page works under a strict Content-Security-Policy.
window.SMARTLY_USER_DATA = {
  first_name: 'San',
  last_name: 'Goku',
  email: 'san.goku@example.com',
  phone_number: '0605776995',
  comments: 'Demo shop customer, loyalty tier: gold',
};
