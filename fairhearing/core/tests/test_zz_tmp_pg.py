from django.db import connection

def test_db(django_db_blocker):
    with django_db_blocker.unblock():
        with connection.cursor() as c:
            c.execute("select 1")
            print("\nDB:", connection.vendor, c.fetchone())
