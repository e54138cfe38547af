import pytest
from django.core import mail
from django.urls import reverse
@pytest.mark.django_db
def test_show(client):
    client.post(reverse("accounts:signup"), {"email":"a@example.org","full_name":"Ana","password1":"a long unusual pass 9","password2":"a long unusual pass 9"})
    print("\n---\n"+mail.outbox[0].subject+"\n"+mail.outbox[0].body)
