"""Your details: the name a person is known by on the service (shown instead of their email
address on certificates, posts, supervision records and the header), set at sign-up and
changed on the "Your details" page. Someone without a name is asked for one once, after they
sign in."""
