import pytest

from tests.support.conversation import Conversation

pytestmark = pytest.mark.rasa


@pytest.fixture
def chat(rasa_url) -> Conversation:
    return Conversation(rasa_url)
