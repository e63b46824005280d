# {{ titre }}

{% si publication %}
::: centre
{{ publication }}
:::

{% fin %}
{% visas %}

::: centre
Entre
:::

**{{ delegant.nom }}**{% si delegant.adresse %}, {{ delegant.adresse }}{% fin %}{% si delegant.representant.nom ou delegant.representant.fonction %}, représenté{{ delegant | accord }} par {% si delegant.representant.nom %}{{ delegant.representant.nom }}{% si delegant.representant.fonction %}, {% fin %}{% fin %}{{ delegant.representant.fonction }}{% fin %}, ci-après dénommé{{ delegant | accord }} {{ delegant.alias | alias }},

{% pour d dans delegataires %}
::: centre
et
:::

**{{ d.nom }}**{% si d.adresse %}, {{ d.adresse }}{% fin %}{% si d.representant.nom ou d.representant.fonction %}, représenté{{ d | accord }} par {% si d.representant.nom %}{{ d.representant.nom }}{% si d.representant.fonction %}, {% fin %}{% fin %}{{ d.representant.fonction }}{% fin %}{% si d.alias %}, ci-après dénommé{{ d | accord }} {{ d.alias | alias }}{% fin %}{% si boucle.dernier %},{% sinon %} ;{% fin %}

{% fin %}
{% si designationCommune %}
ci-après désigné{{ delegataires | accord }} ensemble sous le terme de {{ designationCommune | alias }},

{% fin %}
{% si positionPreambule == "apres-convenu" %}
Il a été convenu ce qui suit :

{% fin %}
{% si preambule %}
## Préambule

{% preambule %}

{% fin %}
{% si positionPreambule != "apres-convenu" %}
Il a été convenu ce qui suit :

{% fin %}
{% articles %}

Fait à {{ lieuSignature }}{% si dateSignature %}, le {{ dateSignature | date }}{% fin %}, en autant d'exemplaires originaux que de parties.

{% signatures %}

{% pieces_jointes %}

{% annexes %}

=== visa
Vu le décret n° 2004-1085 du 14 octobre 2004 modifié relatif à la délégation de gestion dans les services de l'État ;

=== visa
Vu le décret n° 2012-1246 du 7 novembre 2012 modifié relatif à la gestion budgétaire et comptable publique ;

=== article : Objet de la délégation
En application de l'article 2 du décret n° 2004-1085 du 14 octobre 2004, le délégant confie au délégataire, dans les conditions ci-après précisées, la gestion de crédits relevant de son périmètre.

=== article : Prestations confiées au délégataire
Le délégataire assure, pour le compte du délégant, les actes de gestion nécessaires à l'exécution de la délégation.

=== article : Obligations du délégant
Le délégant fournit en temps utile au délégataire tous les éléments d'information dont il a besoin pour l'exercice de sa délégation.

=== article : Dispositions financières
{% si financement %}
Le délégataire est autorisé à engager, liquider et mandater les dépenses imputées sur l'unité opérationnelle (UO) **{{ financement.uo }}**.
{% si financement.echeancier %}

| | AE | CP |
|---|---:|---:|
{% pour e dans financement.echeancier %}
| {{ e.annee }} | {{ e.ae | euros }} | {{ e.cp | euros }} |
{% fin %}
{% fin %}
{% sinon %}
La présente délégation n'emporte pas de délégation de crédits.
{% fin %}

=== article : Durée, modification et résiliation
La présente convention prend effet {% si debut.regle == "date" %}le {{ debut.date | date }}{% sinon %}à la date de sa signature par les parties{% fin %}. {% si dateFin %}Elle est conclue jusqu'au {{ dateFin | date }}{% si reconductionTacite %} et reconduite tacitement par périodes d'un an{% fin %}.{% sinon %}Elle est conclue pour une durée indéterminée.{% fin %}

Toute modification des conditions ou modalités d'exécution de la présente convention fait l'objet d'un avenant.

Il peut être mis fin à la présente convention par l'une des parties, sous réserve d'un préavis de {{ preavisMois | lettres }} mois notifié par écrit à l'autre partie.

=== article : Publication
La présente convention sera publiée selon les modalités propres à chaque partie, conformément à l'article 2 du décret n° 2004-1085 du 14 octobre 2004.

=== modele
titre : Convention de délégation de gestion (modèle générique)
description : Visas avant les parties, parties sur une phrase, partie financière et date de fin facultatives, pièces jointes listées après les signatures.
version : 1
options : positionPreambule
