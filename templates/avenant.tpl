# Avenant n° {{ numero }} à {{ convention.designation }}

::: centre
conclue {{ convention.entre }}{% si convention.reference %} (réf. {{ convention.reference }}){% fin %}, signée le {{ baseSigneeLe | date }}
:::

::: centre
Entre
:::

**{{ delegant.nom }}**

{% si delegant.adresse %}
Adresse : {{ delegant.adresse }}

{% fin %}
{% si delegant.representant.nom ou delegant.representant.fonction %}
Représenté{{ delegant | accord }} par {% si delegant.representant.nom %}{{ delegant.representant.nom }}{% si delegant.representant.fonction %}, {% fin %}{% fin %}{{ delegant.representant.fonction }}

{% fin %}
Ci-après dénommé{{ delegant | accord }} {{ delegant.alias | alias }}

{% pour d dans delegataires %}
::: centre
Et
:::

**{{ d.nom }}**

{% si d.adresse %}
Adresse : {{ d.adresse }}

{% fin %}
{% si d.representant.nom ou d.representant.fonction %}
Représenté{{ d | accord }} par {% si d.representant.nom %}{{ d.representant.nom }}{% si d.representant.fonction %}, {% fin %}{% fin %}{{ d.representant.fonction }}

{% fin %}
{% si d.alias %}
Ci-après dénommé{{ d | accord }} {{ d.alias | alias }}{% si boucle.dernier %},{% sinon %} ;{% fin %}

{% fin %}
{% fin %}
{% si designationCommune %}
Ci-après désigné{{ delegataires | accord }} ensemble sous le terme de {{ designationCommune | alias }},

{% fin %}
{% visas %}

Vu la convention de délégation de gestion signée le {{ baseSigneeLe | date }}{% si avenantsPrecedents %}, modifiée par {{ avenantsPrecedents }}{% fin %}{% si actesModifies %}^[Empreintes SHA-256 des actes signés que modifie le présent avenant : {% pour a dans actesModifies %}{{ a.libelle }} : {{ a.sha256 }}{% si boucle.dernier %}.{% sinon %} ; {% fin %}{% fin %}]{% fin %},

{% si objet %}
## Préambule

{{ objet }}

{% fin %}
Il a été convenu ce qui suit :

{% pour m dans modifications %}
## {{ m.intitule }}

{% si m.type == "remplacer_article" %}
L'article {{ m.article | er }} de la convention est remplacé par les dispositions suivantes :

{% texte_article %}
{% sinonsi m.type == "inserer_article" %}
{% si m.apres == 0 %}Avant l'article 1er{% sinon %}Après l'article {{ m.apres | er }}{% fin %} de la convention, il est inséré un nouvel article {{ m.nouveauNumero | er }} ainsi rédigé :

{% texte_article %}
{% sinonsi m.type == "supprimer_article" %}
L'article {{ m.article | er }} de la convention{% si m.titreAvant %} (« {{ m.titreAvant }} »){% fin %} est supprimé.

{% sinonsi m.type == "modifier_date_fin" %}
{% si m.dateAvant et m.articleDateFin %}
À l'article {{ m.articleDateFin | er }} de la convention, la date du {{ m.dateAvant | date }} est remplacée par celle du {{ m.dateApres | date }}.
{% sinonsi m.dateAvant %}
La date de fin de la convention, fixée au {{ m.dateAvant | date }}, est remplacée par celle du {{ m.dateApres | date }}.
{% sinon %}
La convention, conclue pour une durée indéterminée, prend fin le {{ m.dateApres | date }}.
{% fin %}

{% sinonsi m.type == "ajouter_annee" %}
{% si m.articleEcheancier %}
Le tableau de l'article {{ m.articleEcheancier | er }} de la convention est complété par la ligne suivante :
{% sinon %}
L'échéancier de la convention est complété par la ligne suivante :
{% fin %}

| Année | AE | CP |
|---|---:|---:|
| {{ m.annee }} | {{ m.ae | euros }} | {{ m.cp | euros }} |

{% sinonsi m.type == "modifier_montants" %}
{% si m.articleEcheancier %}
Dans le tableau de l'article {{ m.articleEcheancier | er }} de la convention, la ligne relative à l'année {{ m.annee }} (AE : {{ m.aeAvant | euros }} ; CP : {{ m.cpAvant | euros }}) est remplacée par la ligne suivante :
{% sinon %}
Dans l'échéancier de la convention, la ligne relative à l'année {{ m.annee }} (AE : {{ m.aeAvant | euros }} ; CP : {{ m.cpAvant | euros }}) est remplacée par la ligne suivante :
{% fin %}

| Année | AE | CP |
|---|---:|---:|
| {{ m.annee }} | {{ m.ae | euros }} | {{ m.cp | euros }} |

{% sinonsi m.type == "modifier_partie" %}
{% si m.representant %}
{{ m.partie.nom }} est désormais représenté{{ m.partie | accord }} par {{ m.representant }}{% si m.representantAvant %}, en remplacement {{ m.representantAvantDe }}{% fin %}.

{% fin %}
{% si m.adresseModifiee %}
{% si m.adresse %}L'adresse {{ m.dePartie }}{% si m.adresseAvant %}, « {{ m.adresseAvant }} »,{% fin %} est remplacée par la suivante : « {{ m.adresse }} ».{% sinon %}La mention de l'adresse {{ m.dePartie }} est supprimée.{% fin %}

{% fin %}
{% si m.servicesModifies %}
{% si m.articleServices et m.servicesAvant %}
À l'article {{ m.articleServices | er }} de la convention, la liste des services numériques concernés, « {{ m.servicesAvant | liste }} », est remplacée par la suivante : « {{ m.services | liste }} ».
{% sinonsi m.servicesAvant %}
La liste des services numériques concernés par la convention, « {{ m.servicesAvant | liste }} », est remplacée par la suivante : « {{ m.services | liste }} ».
{% sinon %}
La convention concerne les services numériques suivants : {{ m.services | liste }}.
{% fin %}

{% fin %}
{% fin %}
{% fin %}
{% si renumerotation %}
## {{ intituleRenumerotation }}

Compte tenu des dispositions qui précèdent, {{ renumerotation | liste }}.

{% fin %}
## {{ intituleFinal }}

Les autres stipulations de la convention demeurent inchangées.

Le présent avenant prend effet à la date de sa signature par la dernière des parties.

Fait à {{ lieuSignature }}, en {{ exemplaires | lettres }} exemplaires,

{% signatures %}
