"""Test data is built outside the N+1 detector.

The factories and the builders in ``tests/*factories.py`` create rows one at a time by design
(a get_or_create per SubFactory, an add_to_group() per person, a reply() per post through the
real service, each of which is its own request in production): building test data is not a
request path, so it runs under ``zeal_ignore()``. The services they call are checked by the
tests of their own pages. Wagtail's page-tree writes made while building pages (add_child,
save_revision, publish) are covered the same way.
"""

from __future__ import annotations

import functools

import factory.django
from django.test import Client
from zeal import zeal_ignore


def builds_test_data(function):
    """Run a test-data builder under zeal_ignore()."""

    @functools.wraps(function)
    def builder(*args, **kwargs):
        with zeal_ignore():
            return function(*args, **kwargs)

    return builder


class DataFactory(factory.django.DjangoModelFactory):
    """A model factory whose rows are built under zeal_ignore()."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        with zeal_ignore():
            return super()._generate(strategy, params)


class SetUpClient(Client):
    """The test client, signing in and out under zeal_ignore(): in production a sign-in is a
    request of its own, which the middleware checks; in a test it is set-up."""

    def login(self, **credentials):
        with zeal_ignore():
            return super().login(**credentials)

    def force_login(self, user, backend=None):
        with zeal_ignore():
            return super().force_login(user, backend)

    def logout(self):
        with zeal_ignore():
            return super().logout()
