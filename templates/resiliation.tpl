{% si communAccord %}
# Résiliation d'un commun accord de {{ convention.designation }}
{% sinon %}
# Notification de résiliation de {{ convention.designation }}
{% fin %}

::: centre
conclue {{ convention.entre }}{% si convention.reference %} (réf. {{ convention.reference }}){% fin %}, signée le {{ baseSigneeLe | date }}
:::

{% si communAccord %}
Entre :

{% pour p dans parties %}
{% si non boucle.premier %}
et

{% fin %}
**{{ p.nom }}**{% si p.adresse %}, {{ p.adresse }}{% fin %}{% si p.representant.nom ou p.representant.fonction %}, représenté{{ p | accord }} par {% si p.representant.nom %}{{ p.representant.nom }}{% si p.representant.fonction %}, {% fin %}{% fin %}{{ p.representant.fonction }}{% fin %}{% si p.alias %}, ci-après dénommé{{ p | accord }} {{ p.alias | alias }}{% fin %},

{% fin %}
{% sinon %}
**Expéditeur :** {{ notifiant.nom }}{% si notifiant.adresse %}, {{ notifiant.adresse }}{% fin %}

**Destinataire{% si destinataires.1 %}s{% fin %} :** {% pour d dans destinataires %}{{ d.nom }}{% si d.adresse %}, {{ d.adresse }}{% fin %}{% si non boucle.dernier %} ; {% fin %}{% fin %}

{% fin %}
{% visas %}

Vu la convention de délégation de gestion signée le {{ baseSigneeLe | date }}{% si avenantsPrecedents %}, modifiée par {{ avenantsPrecedents }}{% fin %}{% si articlePreavis %}, et notamment son article {{ articlePreavis | er }}{% fin %}{% si actesModifies %}^[Empreintes SHA-256 des actes signés auxquels met fin le présent acte : {% pour a dans actesModifies %}{{ a.libelle }} : {{ a.sha256 }}{% si boucle.dernier %}.{% sinon %} ; {% fin %}{% fin %}]{% fin %},

{% si communAccord %}
Les parties conviennent d'un commun accord de mettre fin à la convention de délégation de gestion susvisée.

#### Motif.

{{ motif }}

#### Date d'effet.

{% si dateEffetDemandee %}
La résiliation prend effet le {{ dateEffetDemandee | date }}, sans préavis.
{% sinon %}
La résiliation prend effet, sans préavis, à la date de signature du présent acte par la dernière des parties.
{% fin %}

{% sinon %}
{{ notifiant.nom }}{% si notifiant.representant.nom ou notifiant.representant.fonction %}, représenté{{ notifiant | accord }} par {% si notifiant.representant.nom %}{{ notifiant.representant.nom }}{% si notifiant.representant.fonction %}, {% fin %}{% fin %}{{ notifiant.representant.fonction }}{% fin %}, notifie {{ destinatairesA | liste }} sa décision de mettre fin à la convention de délégation de gestion susvisée.

#### Motif.

{{ motif }}

#### Date d'effet.

{% si preavisMois > 0 %}
Conformément {% si articlePreavis %}à l'article {{ articlePreavis | er }} de la convention{% sinon %}aux stipulations de la convention{% fin %}, il peut être mis fin à tout moment à la délégation de gestion par l'une des parties, sous réserve du respect d'un préavis de {{ preavisMois | lettres }} mois.

{% si dateEffetDemandee %}
La résiliation prend effet le {{ dateEffetDemandee | date }}. Si la présente notification est signée moins de {{ preavisMois | lettres }} mois avant cette date, la résiliation prend effet à l'expiration du préavis, soit {{ preavisMois | lettres }} mois après la date de sa signature.
{% sinon %}
La résiliation prend effet à l'expiration du préavis, soit {{ preavisMois | lettres }} mois après la date de signature de la présente notification, qui vaut date de notification. Lorsque le mois d'échéance ne compte pas le jour correspondant, elle prend effet le dernier jour de ce mois.
{% fin %}
{% sinon %}
La convention ne prévoyant pas de préavis, la résiliation prend effet {% si dateEffetDemandee %}le {{ dateEffetDemandee | date }}{% sinon %}à la date de signature de la présente notification{% fin %}.
{% fin %}

{% fin %}
Une copie du présent acte est adressée au contrôleur budgétaire et comptable ministériel de chacune des parties.

Fait à {{ lieuSignature }}{% si communAccord %}, en {{ exemplaires | lettres }} exemplaires{% fin %},

{% signatures %}
